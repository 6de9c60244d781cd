"""Text analysis shared by both engines.

Two indexed views of the same text:

``grams`` — exact recall. Text is folded (NFKC, lower case); spaces between
Han characters are dropped (Chinese is written without them; a PDF breaks
lines inside words). Each Han
character of a run gives one token at its position: the bigram of it and
the next character, or, for the run's last character, the character alone;
every run of letters/digits is one token. A query is cut the same way and
searched as a phrase whose last token, when it is a lone character, is a
prefix (``5号`` finds ``5号楼``; ``偿`` finds ``偿还`` and ``补偿``). A document
matches exactly when it contains the query string; letters and digits match
as whole runs (codes and numbers are found as written, ``5号`` does not
match inside ``15号``). This avoids what jieba's
ChineseAnalyzer does wrong: positions stay token positions, and 拆迁补偿
does not match 拆迁 … 补偿 apart. One token per position also lets Tantivy
tokenize the view itself (whitespace tokenizer), which indexing speed needs.

``words`` — ranking. jieba segmentation (with the domain dictionary of the
control panel) of the same folded text; a query that is a word of the text
scores above one that only occurs inside other words (低保 vs 降低保险费).

Personal data (ID numbers, phones) found in free text is moved out of the
``grams`` view into ``personal``, so that it matches only for users allowed
to see it; the stored text for snippets carries it masked.
"""

from functools import lru_cache
from xinfang_archive.privacy.masking import mask_id_number
from xinfang_archive.privacy.masking import mask_phone

import logging
import re
import threading
import unicodedata


logger = logging.getLogger("xinfang_archive.search")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Spaces and line breaks between Han characters are no break in Chinese text
# (a PDF wraps lines inside words); separate values with FIELD_SEPARATOR.
GAP = "[ \t\r\n\u3000]"
RUN_RE = re.compile(
    rf"(?P<han>[{HAN}](?:{GAP}*[{HAN}])*)|(?P<word>(?:(?![{HAN}])[^\W_])+)"
)
SPACES_RE = re.compile(f"{GAP}+")
FIELD_SEPARATOR = "\x1f"

# Mainland ID numbers (18 or 15 digits) and phone numbers inside free text,
# as people write them: grouped by spaces or hyphens, with +86, in brackets.
_SEP = "[- \t\u3000]?"  # not \s: it would cross line and field separators
ID_NUMBER_RE = re.compile(
    rf"(?<!\d)(?:\d{{6}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{3}}[\dxX]|\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{3}})(?![\dxX])"
)
PHONE_RE = re.compile(
    rf"(?<!\d)(?:(?:\+|00)?86{_SEP})?(?:1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
    rf"|\(?0\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}})(?!\d)"
)
PERSONAL_RE = re.compile(
    f"(?P<id>{ID_NUMBER_RE.pattern})|(?P<phone>{PHONE_RE.pattern})"
)

DEFAULT_DICTIONARY = (
    "信访",
    "信访件",
    "信访人",
    "信访局",
    "信访事项",
    "听证",
    "听证会",
    "听证笔录",
    "复查",
    "复核",
    "复查意见",
    "复核意见",
    "拆迁补偿",
    "征地补偿",
    "征地拆迁",
    "重复访",
    "越级访",
    "集体访",
    "低保",
    "低保救助",
    "劳动社保",
    "企业改制",
    "涉法涉诉",
    "村务财务",
    "纪检举报",
    "不予受理",
    "办结",
    "督办",
    "回访",
    "包案领导",
    "交办",
    "转送",
    "属地管理",
    "处理意见书",
    "答复意见",
    "归档",
    "档号",
    "保管期限",
)


def fold(text):
    """The form every view is built from: NFKC (full/half width) and lower case."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", text).lower()


def runs(folded):
    """(kind, text) for each Han run (inner spaces dropped) and each
    letter/digit run."""
    for match in RUN_RE.finditer(folded):
        if match.group("han"):
            yield "han", SPACES_RE.sub("", match.group("han"))
        else:
            yield "word", match.group("word")


def gram_tokens(folded, start=0):
    """(token, position) pairs of the ``grams`` view of folded text."""
    position = start
    for kind, run in runs(folded):
        if kind == "word":
            yield run, position
            position += 1
            continue
        last = len(run) - 1
        for i in range(last):
            yield run[i : i + 2], position
            position += 1
        yield run[last], position
        position += 1


def gram_views(folded):
    """The ``grams`` view and its heads view (the first character of each
    token: a phrase over it is exact too and finds what a prefix would;
    Tantivy's phrase-prefix query expands to 50 terms only), each as one
    space-separated string for Tantivy's whitespace tokenizer, which gives
    the positions of ``gram_tokens``."""
    grams, heads = [], []
    for kind, run in runs(folded):
        if kind == "word":
            grams.append(run)
            heads.append(run)
        else:
            grams.extend([run[i : i + 2] for i in range(len(run) - 1)])
            grams.append(run[-1])
            heads.append(" ".join(run))
    return " ".join(grams), " ".join(heads)


def query_grams(text):
    """(tokens, prefix) of a query, to be matched as a phrase.

    A run's last character stands alone; at the very end of the query it
    is dropped when a bigram already covers it, or else (a lone character)
    matched as a prefix, since in a document the run may go on.
    """
    tokens = []
    for kind, run in runs(fold(text)):
        if kind == "word":
            tokens.append((run, False))
        else:
            tokens.extend((run[i : i + 2], True) for i in range(len(run) - 1))
            tokens.append((run[-1], False))
    prefix = False
    if (
        tokens
        and not tokens[-1][1]
        and len(tokens[-1][0]) == 1
        and RUN_RE.match(tokens[-1][0]).group("han")
    ):
        if len(tokens) > 1 and tokens[-2][1]:
            tokens.pop()
        else:
            prefix = True
    return [token for token, _bigram in tokens], prefix


class Segmenter:
    """jieba segmentation with the domain dictionary added.

    Words come from rjieba (jieba-rs: jieba's dictionary and algorithm,
    about 25 times faster than the pure-Python jieba, which made indexing
    slower than Plone's catalog); jieba itself is kept for its TF-IDF
    keyword extraction (``keywords``, for similar cases).
    """

    def __init__(self, words):
        import rjieba

        self.words = tuple(w for w in (fold(w).strip() for w in words) if w)
        self.rjieba = rjieba.Jieba()
        for word in self.words:
            # a high frequency makes the word win against its parts
            self.rjieba.add_word(word, 100000, None)
        self._jieba = None
        self.lock = threading.Lock()

    @staticmethod
    def _keep(tokens):
        """Words only (Han characters are alphanumeric to Python), no
        punctuation or spaces."""
        return [t for t in tokens if t[:1].isalnum()]

    def words_of(self, folded):
        """The words of folded text for the index: search mode, which also
        gives the dictionary words inside longer ones (低保 in 低保救助), and
        the letter/digit runs."""
        return self._keep(self.rjieba.cut_for_search(folded, False))

    def query_words(self, text):
        """The words of a query: precise mode."""
        return self._keep(self.rjieba.cut(fold(text), False))

    def keywords(self, text, count=12):
        """The most telling words of ``text`` (jieba's TF-IDF)."""
        with self.lock:
            if self._jieba is None:
                from jieba import analyse

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                for word in self.words:
                    tokenizer.add_word(word, freq=100000)
                extractor = analyse.TFIDF()
                extractor.tokenizer = tokenizer
                self._jieba = extractor
            return [w.lower() for w in self._jieba.extract_tags(text or "", topK=count)]


@lru_cache(maxsize=4)
def segmenter(words=DEFAULT_DICTIONARY):
    return Segmenter(words)


def split_personal(text):
    """(text without ID numbers and phones, the numbers found, masked text)
    of NFKC-normalised ``text`` (folding to lower case comes after).

    The numbers go to the ``personal`` view; the text keeps a space where
    they were so that neighbouring runs do not join; the masked text is
    what may be stored and shown in snippets.
    """
    found, clean, shown, cursor = [], [], [], 0
    for match in PERSONAL_RE.finditer(text):
        start, end = match.span()
        number = match.group(0)
        found.append(number)
        clean.append(text[cursor:start])
        clean.append(" ")
        shown.append(text[cursor:start])
        digits = personal_form(number)
        shown.append(
            mask_id_number(digits.upper())
            if match.lastgroup == "id"
            else mask_phone(digits)
        )
        cursor = end
    if not found:
        return text, found, text
    clean.append(text[cursor:])
    shown.append(text[cursor:])
    return "".join(clean), found, "".join(shown)


def personal_form(text):
    """An ID or phone number as one token of digits (``x`` for the check
    character, no country code); any other text folded. Used on both
    sides, so ``138-1234-5678`` finds ``+86 13812345678``."""
    folded = fold(text).strip()
    if ID_NUMBER_RE.fullmatch(folded.upper()) or PHONE_RE.fullmatch(folded):
        digits = re.sub(r"[^0-9x]", "", folded)
        for code in ("0086", "86"):
            if (
                digits.startswith(code)
                and len(digits) - len(code) == 11
                and digits[len(code)] == "1"
            ):
                digits = digits[len(code) :]
        return digits
    return folded


def highlight_pattern(text):
    """A regex finding the query text in folded stored text.

    Characters of a Han run may stand apart by spaces or line breaks; between runs anything
    that is not a letter, digit or Han character may stand, as in the
    ``grams`` view.
    """
    parts = []
    for kind, run in runs(fold(text)):
        if kind == "han":
            parts.append(f"{GAP}*".join(re.escape(c) for c in run))
        else:
            parts.append(re.escape(run))
    if not parts:
        return None
    return r"[\W_]*".join(parts)
