fn main() {
    let w: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(80);
    let c = kaigi::corpus::load_embedded();
    let l = kaigi::layout::Layout::new(&c, w, Default::default());
    for line in &l.lines {
        println!("{}", line.plain());
    }
}
