"""Sentences of public Chinese writing about petition work, for demo data.

The source is a directory of ``.txt`` files (the project's ``shared/corpus``).
``extract_sentences`` cuts them into clean sentences of 10–80 characters;
``load_sentences`` finds the directory (or falls back to the copy bundled with
the package, ``sentences.txt``, written by ``write_bundled_sentences``).

Run ``python -m xinfang_archive.demo.corpus [CORPUS_DIR]`` to refresh the
bundled copy.
"""

from pathlib import Path

import os
import re
import sys


ENV_VARIABLE = "XINFANG_CORPUS"
BUNDLED = Path(__file__).with_name("sentences.txt")
MIN_LENGTH = 10
MAX_LENGTH = 80

# Half-width punctuation of the scraped pages, as full-width Chinese punctuation.
_FULL_WIDTH = str.maketrans(
    {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
)
# A sentence ends at 。！？ (with any closing quotes / brackets after it).
_SENTENCE = re.compile(r"[^。！？]*[。！？][”’」』）]*")
# Enumerations opening a paragraph: 一、 1、 （一） (2) 第一， 一是 …
_ENUMERATION = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．]|第[一二三四五六七八九十]+[，、：])\s*"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCTUATION = re.compile(r"[\s，。、；：！？“”‘’「」『』（）《》〈〉【】—…·\-]")
# Page furniture of the scraped documents, placeholders and foreign matter.
_JUNK = re.compile(
    r"\.\.\.|…|\*|×|www|http|\.com|\.doc|ICP|上传|下载|文档|范文|页数|第\d+页|共\d+页"
    r"|预览|资源|相关搜索|猜你喜欢|[A-Za-z]{3,}|写写帮|推荐"
    # Scraped previews pad an article with unrelated pages (a study tour abroad).
    r"|考察|欧洲|翻译|地陪"
)
# Preview chunks (see _preview_chunks) and the words of the subject.
_CHUNK = re.compile(r"^\d+、")
_CHUNK_LENGTH = 200
_CHUNK_RUN = 5
_ON_SUBJECT = re.compile(
    r"信访|上访|来访|来信|群众|矛盾|纠纷|诉求|稳定|依法|责任|党委|政府|干部"
)
# An enumeration inside a sentence, with 1 mis-scanned as l: "四个方面：l、实行…".
_INNER_ENUMERATION = re.compile(r"(?<=[：，])\s*[l\d一二三四五六七八九十]+、")


def _clean_line(line):
    line = _INNER_ENUMERATION.sub("", line.strip().translate(_FULL_WIDTH))
    # Half-width commas between digits were thousands separators, not clauses.
    return re.sub(r"(?<=\d)，(?=\d{3})", ",", line)


def _good(sentence):
    if not MIN_LENGTH <= len(sentence) <= MAX_LENGTH:
        return False
    if _JUNK.search(sentence):
        return False
    if not _CJK.match(sentence):  # starts inside a word or with punctuation
        return False
    text = _PUNCTUATION.sub("", sentence)
    if not text or len(_CJK.findall(text)) < 0.85 * len(text):
        return False
    # Quotes and brackets must be balanced, else the sentence is a fragment.
    for left, right in ("“”", "（）", "《》"):
        if sentence.count(left) != sentence.count(right):
            return False
    return True


def _pieces(sentence):
    """A sentence, or its clauses at ；when it is too long."""
    if len(sentence) <= MAX_LENGTH or "；" not in sentence:
        return [sentence]
    end = sentence[-1]
    clauses = [c.strip() for c in sentence.rstrip("。！？”’）").split("；")]
    return [c + ("。" if end not in "。！？" else end) for c in clauses if c]


def _preview_chunks(lines):
    """Indexes of lines that are chunks of a paginated preview.

    Some scraped pages show a document as numbered chunks ("1、…" "2、…"), each
    cut at a fixed length: a run of at least ``_CHUNK_RUN`` long numbered lines.
    """
    chunks = set()
    run = []
    for index, line in enumerate([*lines, "end"]):
        if not line:
            continue  # blank lines between the chunks
        if _CHUNK.match(line) and len(line) >= _CHUNK_LENGTH:
            run.append(index)
            continue
        if len(run) >= _CHUNK_RUN:
            chunks.update(run)
        run = []
    return chunks


def sentences_of_text(text):
    """Clean sentences of one text, in order."""
    lines = [_clean_line(raw) for raw in text.splitlines()]
    chunks = _preview_chunks(lines)
    found = []
    for index, line in enumerate(lines):
        # Summary lines of search results end in an ellipsis: their first
        # sentences repeat the body and the last one is cut off.
        if not line or line.endswith(("...", "…")):
            continue
        matches = list(_SENTENCE.finditer(line))
        if index in chunks:
            # A chunk starts inside a sentence, and previews pad the
            # document with unrelated pages: keep what is on the subject.
            matches = [m for m in matches[1:] if _ON_SUBJECT.search(m.group())]
        for match in matches:
            sentence = _ENUMERATION.sub("", match.group().strip())
            for piece in _pieces(sentence):
                piece = _ENUMERATION.sub("", piece.strip())
                if _good(piece):
                    found.append(piece)
    return found


def extract_sentences(corpus_dir):
    """Distinct clean sentences of all ``*.txt`` files of ``corpus_dir`` (sorted by file)."""
    seen = set()
    sentences = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for sentence in sentences_of_text(text):
            if sentence not in seen:
                seen.add(sentence)
                sentences.append(sentence)
    # The scraped pages repeat an article in chunks cut at random places: a
    # sentence that is the tail of another one is such a cut-off fragment.
    return [
        s for s in sentences if not any(o != s and o.endswith(s) for o in sentences)
    ]


def _has_corpus(path):
    return path is not None and path.is_dir() and any(path.glob("*.txt"))


def find_corpus_dir():
    """``$XINFANG_CORPUS``, else ``../shared/corpus`` of the working directory or of
    the source checkout; None when there is none."""
    candidates = []
    if os.environ.get(ENV_VARIABLE):
        candidates.append(Path(os.environ[ENV_VARIABLE]))
    candidates.append(Path.cwd().parent / "shared" / "corpus")
    # src/xinfang_archive/demo/corpus.py -> the repository is three levels up.
    source = Path(__file__).resolve()
    if len(source.parents) > 3:
        candidates.append(source.parents[3].parent / "shared" / "corpus")
    for candidate in candidates:
        if _has_corpus(candidate):
            return candidate
    return None


_CACHE = {}


def load_sentences(corpus_dir=None):
    """Sentences for demo texts: from ``corpus_dir``, the corpus found by
    ``find_corpus_dir``, or the bundled ``sentences.txt``."""
    if corpus_dir is not None:
        source = Path(corpus_dir)
        if not _has_corpus(source):
            raise FileNotFoundError(f"No .txt files in corpus directory {source}")
    else:
        source = find_corpus_dir() or BUNDLED
    key = str(source.resolve())
    if key not in _CACHE:
        if source.is_dir():
            sentences = extract_sentences(source)
        else:
            sentences = [
                line.strip()
                for line in source.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
        if not sentences:
            raise ValueError(f"No usable sentences in {source}")
        _CACHE[key] = sentences
    return list(_CACHE[key])


def write_bundled_sentences(corpus_dir=None, path=BUNDLED):
    """(Re)write the bundled fallback file from the corpus; returns the count."""
    source = Path(corpus_dir) if corpus_dir is not None else find_corpus_dir()
    if source is None:
        raise FileNotFoundError(
            "No corpus directory found; pass one or set $" + ENV_VARIABLE
        )
    sentences = extract_sentences(source)
    Path(path).write_text("\n".join(sentences) + "\n", encoding="utf-8")
    return len(sentences)


if __name__ == "__main__":  # pragma: no cover
    count = write_bundled_sentences(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"{count} sentences written to {BUNDLED}")
