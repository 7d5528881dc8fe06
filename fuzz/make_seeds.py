"""Writes the seed corpora fuzz/corpus/<target>/seed-* (run from anywhere: python3 fuzz/make_seeds.py)."""
import os, glob
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
docs = [open(p, "rb").read() for p in sorted(glob.glob(root + "/seeds/*.txt"))]
hostile = [
    b"\x1b[2J\x1b]0;title\x07G7 \x1b[31m\xe8\xb5\xa4\x1b[0m\n",
    "I. 前文\u202e逆\u202c\n1. 我々は\u200b、\u2066テスト\u2069。\n".encode(),
    "\ufeff\ufeffタイトル\n\u200d\u200c\u2060\u00ad本文\n".encode(),
    b"\xff\xfe\x00abc\n\xc3\x28\n",
    b"line one\r\nline two\rlone cr\x0b\x0c\x85\n\t- item\n",
    "令和99999999999年1月1日\n2147483647年12月31日\nタイトル\n".encode(),
    "## (別添) 概要\n### 1 カウンター\n- 1 米国\n  - 子項目：\n\n- 孫\n(注1) 注記\n（注２）全角\n※ 米印\n".encode(),
    "附属文書Ⅰ：テロ対策\n別添\nⅦ. 児童\nVII. 児童\n23. 我々は、\n23. 重複\n".encode(),
    "お問い合わせ先：\n警察庁\n電話 03-3580-3195\n".encode(),
    "G I F C T と I C C の G 7 内務\n".encode(),
    "\u3000\u3000全角空白\u3000\n\u2028\u2029\u0085\n".encode(),
    "ｶﾞｲﾄﾞﾗｲﾝ ㈱テスト ﬁle Cafe\u0301 か\u3099 Ⅶ①…※\n".encode(),
    "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308 e\u20dd 👨\u200d👩\u200d👧 🇯🇵\n".encode(),
    "「『（［｛〈《〔【\n」』）］｝〉》〕】、。ーっ\n".encode(),
    ("あ" * 300 + "\n" + "x" * 500 + "\n").encode(),
]
def paras(d):
    return [p for p in d.split(b"\n\n") if p.strip()]
def chunks(d, n):
    lines = d.split(b"\n"); out=[]; cur=b""
    for l in lines:
        cur += l + b"\n"
        if len(cur) > n: out.append(cur); cur=b""
    if cur.strip(): out.append(cur)
    return out
def write(target, items):
    d = os.path.join(root, "fuzz/corpus", target); os.makedirs(d, exist_ok=True)
    for i, b in enumerate(items):
        open(os.path.join(d, "seed-%03d" % i), "wb").write(b)
    print(target, len(items))
# parse: whole documents, 2 KB chunks of them, hostile text
parse = docs + [c for d in docs for c in chunks(d, 2000)] + hostile
write("parse", parse)
# wrap: two width bytes, then text
wraps = []
widths = [(40, 40), (20, 10), (1, 1), (0, 0), (2, 3), (7, 80), (200, 200), (255, 4)]
ps = [p for d in docs for p in paras(d)][:60] + hostile
for i, p in enumerate(ps):
    a, b = widths[i % len(widths)]
    wraps.append(bytes([a, b]) + p[:1500])
write("wrap", wraps)
# search: a query, optionally NUL and a document
queries = ["ランサム", "ransamu", "ransam", "'G7 !ICC", "G I F C T", "ｇｉｆｃｔ", "！ｉｃｃ　安全",
           "我々は", "kokusai", "2023年", "Ⅶ", "vii", "ra-men", "x", "!x", "'", "\u200b",
           "か\u3099", "ｶﾞ", "ﬁ", "テロ 対策 協力", "a b c d e f g h", "ーー", "\x1b[2J", "\u202e逆"]
search = [q.encode() for q in queries]
for i, h in enumerate(hostile + chunks(docs[1], 1500)):
    search.append(queries[i % len(queries)].encode() + b"\x00" + h)
write("search", search)
