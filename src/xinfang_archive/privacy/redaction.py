"""Redaction of personal data in hearing minutes (听证笔录) before publication.

The public rendition of the minutes must not identify petitioners or other
private parties. This module finds the personal data in a text and returns
*masks* (span, kind, replacement, key) instead of rewriting the text at once,
so that the hearing organizer can review them and exclude some (a mask that
hides a public office's address, say) before :func:`apply_masks` produces the
text that is published.

What is masked, and how (each helper's docstring says why):

========== ================================== ===============================
kind       found by                           replacement
========== ================================== ===============================
name       the known names; optionally jieba  ``张某`` / ``欧阳某`` (style
           person names (``suggest_names``)   "surname") or ``某某`` ("full")
id_number  18-/15-digit ID shapes             one ``*`` per character
phone      mobiles and landlines with area    one ``*`` per digit
           code
plate      vehicle plates                     province + one ``*`` per char
address    the known addresses; address       administrative prefix + ``××``
           shapes with a numbered detail
custom     the organizer's extra strings      ``××``
========== ================================== ===============================

Separators inside numbers (spaces, hyphens, ``·``) are kept, so the masked
text keeps its layout; no digit of an ID number or phone number survives,
because partial masks such as ``138****5678`` still help re-identify a person
when combined with the rest of a published transcript.

Detection runs on a *folded* copy of the text: every character is replaced
by its NFKC form when that form is a single character (``１３８`` → ``138``,
``（`` → ``(``, ``　`` → space). The folded copy has the same length as the
original, so the spans found in it are spans of the original text and the
masks always carry the original characters.

Every mask has a ``key``, ``kind:normalised original``: the same person,
number or address gets the same key at each occurrence (whatever the
width of its digits or the separators it is written with), so excluding one
key un-masks it everywhere and nowhere else.
"""

from dataclasses import dataclass

import logging
import re
import threading
import unicodedata
import warnings


KINDS = ("name", "id_number", "phone", "address", "plate", "custom")
STYLES = ("surname", "full")

ADDRESS_MASK = "××"
CUSTOM_MASK = "××"
CHAR_MASK = "*"
ANONYMOUS = "某"


@dataclass(frozen=True)
class Mask:
    """One stretch of the original text to be replaced in the public copy."""

    start: int
    end: int
    kind: str
    original: str
    replacement: str
    key: str


# ---------------------------------------------------------------- names

# Compound surnames (复姓). A name that starts with one of them keeps all
# of it in the "surname" style (欧阳修 → 欧阳某, not 欧某).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "闻人",
        "万俟",
        "澹台",
        "申屠",
        "端木",
        "南宫",
        "西门",
        "呼延",
        "赫连",
        "独孤",
        "拓跋",
        "百里",
        "东郭",
        "淳于",
        "鲜于",
        "濮阳",
        "太史",
        "司空",
        "司寇",
        "公冶",
        "公羊",
        "公良",
        "公西",
        "左丘",
        "亓官",
        "仲孙",
        "太叔",
        "梁丘",
        "谷梁",
        "宰父",
        "巫马",
        "漆雕",
        "乐正",
        "壤驷",
        "微生",
        "羊舌",
        "闾丘",
        "东门",
        "子车",
        "颛孙",
        "段干",
        "第五",
        "单于",
        "完颜",
        "爱新觉罗",
        "叶赫那拉",
    ]
)

# Common single-character surnames. Only used to filter jieba's person-name
# suggestions: jieba tags many ordinary words "nr" (陈述, 申请人), and a
# suggestion that does not even start with a surname is almost always one.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
    "董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
    "邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝"
    "包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党"
    "宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑"
    "郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢"
    "劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴"
    "丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌"
    "母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居"
    "揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)

# Words jieba 0.42 tags "nr" in hearing minutes that are not names.
_NOT_NAMES = frozenset(
    [
        "陈述",
        "申请人",
        "被申请人",
        "信访人",
        "当事人",
        "代理人",
        "委托人",
        "主持人",
        "听证员",
        "记录员",
        "承办人",
        "负责人",
        "联系人",
        "经办人",
        "责任人",
        "证人",
        "法人",
        "本人",
        "老人",
        "家人",
        "村民",
        "居民",
        "群众",
        "同志",
        "领导",
        "主任",
        "书记",
        "局长",
        "镇长",
        "村长",
        "组长",
        "科长",
        "处长",
        "乡长",
        "县长",
        "市长",
        "区长",
        "信访",
        "听证",
        "明确",
        "安全",
        "高度",
        "周边",
        "方面",
        "连续",
        "平安",
        "和谐",
        "文明",
        "公平",
        "公正",
    ]
)

# Suggestions ending like a place are places (红星村, 文三路), not people.
_PLACE_ENDINGS = tuple("村路街巷弄区县市镇乡省州局所院站厂")


def _surname(name):
    """The surname of a Chinese name: a compound surname when the name is
    long enough to hold one and a given name, else its first character."""
    for size in (4, 2):
        if len(name) > size and name[:size] in COMPOUND_SURNAMES:
            return name[:size]
    return name[:1]


def _is_han(char):
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def mask_name(name, style="surname"):
    """The public form of a person's name.

    ``"surname"`` keeps the surname, as court judgments and government
    notices do (张三丰 → 张某, 欧阳修 → 欧阳某): the reader can still follow
    who said what. ``"full"`` gives ``某某`` for when even the surname would
    identify the person (a small village where one family holds a surname).
    A name not starting with a Han character has no surname to keep.
    """
    if style not in STYLES:
        raise ValueError(f"unknown name style {style!r}; use one of {STYLES}")
    name = (name or "").strip()
    if not name:
        return ""
    if style == "full" or not _is_han(name[0]):
        return ANONYMOUS * 2
    if len(name) == 1:
        return ANONYMOUS
    return _surname(name) + ANONYMOUS


# ---------------------------------------------------------------- folding


def _fold_char(char):
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def fold(text):
    """A copy of ``text`` of the same length, NFKC-folded character by
    character (full-width digits, letters and punctuation become ASCII), so
    that one set of ASCII patterns finds both ``138…`` and ``１３８…`` and a
    span in the copy is the same span in the original."""
    return "".join(map(_fold_char, text or ""))


_SEPARATORS_RE = re.compile(r"[\s\-–—.·•・()]")
_MOBILE_WITH_COUNTRY_RE = re.compile(r"^(?:\+?86|0086)(1[3-9]\d{9})$")


def normalise(kind, original):
    """The normalised form of an original string used in its key.

    NFKC for everything (full-width and half-width spellings are the same
    string). ID numbers, phones and plates also lose their separators, and
    a mobile number loses its country code, because ``138 1234 5678``,
    ``+86-138-1234-5678`` and ``13812345678`` are one number; ID numbers and
    plates are upper-cased (``x`` and ``X`` are the same check digit).
    Names, addresses and custom strings lose their white space.
    """
    value = unicodedata.normalize("NFKC", original or "")
    if kind in ("id_number", "phone", "plate"):
        value = _SEPARATORS_RE.sub("", value)
        if kind == "phone":
            value = _MOBILE_WITH_COUNTRY_RE.sub(r"\1", value)
        else:
            value = value.upper()
    else:
        value = re.sub(r"\s+", "", value)
    return value


def mask_key(kind, original):
    """The key of a mask: ``kind:normalised original``."""
    return f"{kind}:{normalise(kind, original)}"


# ---------------------------------------------------------------- numbers

# Digit runs are delimited by lookarounds so that a number inside a longer
# run of digits (a 19-digit bank account, a 20-digit case code) never yields
# a shorter match, and so that 〔2024〕15号 or 2024年5月6日 are never taken
# for anything: none of their digit runs has the length of a phone or ID.
_SEP = r"[ \-]?"

ID_NUMBER_RE = re.compile(
    r"(?<![0-9])(?:"
    rf"\d{{6}}{_SEP}(?:18|19|20)\d{{2}}{_SEP}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]){_SEP}\d{{3}}[\dXx]"
    r"|\d{17}[\dXx]"
    rf"|\d{{6}}{_SEP}\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]){_SEP}\d{{3}}"
    r")(?![0-9A-Za-z])",
    re.ASCII,
)
"""Resident ID numbers: 18 characters (the last may be X), written in one
run or grouped 6-8-4 or 6-4-4-4; and the old 15-digit numbers (region, yymmdd, serial).
An 18-character run is masked whatever its content (a mistyped ID number is
still personal data); grouped and 15-digit forms must carry a plausible birth
date, as digit runs of those shapes are otherwise too common."""

PHONE_RE = re.compile(
    r"(?<![0-9])(?:"
    # mobile: 1[3-9]x xxxx xxxx, optional country code
    r"(?:(?:\+86|0086|86|\(\+?86\))[ \-]?)?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}"
    r"|"
    # landline: area code (0 + 2-3 digits) and a 7-8 digit number
    r"(?:\(0\d{2,3}\)[ ]?|0\d{2,3}[ \-–—]?)(?:\d{7,8}|\d{3,4}[ \-]\d{4})(?:(?:-|转)\d{1,6})?"
    r")(?![0-9])",
    re.ASCII,
)
"""Mobile numbers (1[3-9] + 9 digits, optional +86/0086/86, separators
3-4-4) and landlines with their area code: 0571-87654321, (0571)87654321,
010-12345678, 0571-8765-4321, with an optional extension. Local numbers without an area
code are not detected: eight digits alone are too often something else."""

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"  # plates use no I and no O
PLATE_RE = re.compile(
    rf"[{PROVINCES}][{_PLATE_LETTER}][ ·•・.\-]?"
    rf"(?=(?:[{_PLATE_LETTER}]*\d){{2}})"  # at least two digits
    rf"(?:[{_PLATE_LETTER}0-9]{{5,6}}|[{_PLATE_LETTER}0-9]{{4}}[学警挂港澳领试超使])"
    r"(?![0-9A-Za-z])"
)
"""Vehicle plates: province abbreviation, issuing-office letter, optional
separator (浙A·12345, 浙A 12345), then five characters (the last may be
学/警/挂 …) or six for new-energy plates (浙AD12345, 浙A12345F). At least two
digits are required so that a province character before an ordinary word in
Latin letters is not a plate; 浙江 never matches, a letter must follow."""


def _mask_characters(original, keep=0):
    """One ``*`` per letter, digit or Han character after the first ``keep``
    characters; separators and punctuation stay, keeping the layout."""
    head, tail = original[:keep], original[keep:]
    return head + "".join(CHAR_MASK if ch.isalnum() else ch for ch in tail)


def _mask_phone(original):
    # + ( ) and separators stay: "+** *** **** ****"
    return "".join(
        CHAR_MASK if unicodedata.normalize("NFKC", ch).isdigit() else ch
        for ch in original
    )


# ---------------------------------------------------------------- addresses

_HAN = "\u4e00-\u9fff\u3400-\u4dbf"

# Administrative levels kept in a masked address, down to the town level.
# The lookarounds keep ordinary words out: 小区/社区/园区 are not districts,
# 市场/市民/市政 not cities, 县城/县委 not counties, and the 州 of 杭州 is
# not a level when 市 follows.
_ADMIN_SUFFIX = (
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省"
    r"|市(?![场民政委辖级长属府局])"
    r"|州(?![市县])"
    r"|盟"
    r"|(?<![小社园校厂矿营景片])区(?![域政委长府局])"
    r"|县(?![城委政长府局级])"
    r"|旗|镇(?![政长府])|乡(?![镇政长府亲]))"
)
_ADMIN = rf"(?>[{_HAN}]{{1,8}}?{_ADMIN_SUFFIX})"  # shortest unit: 杭州市|西湖区

# Named places below the town level: roads, lanes, villages, estates.
_PLACE_SUFFIX = (
    r"(?:大道|大街|胡同|社区|小区|花园|公寓|大厦|家园|新村|路|街|巷|弄|村|苑|庄)"
)
_PLACE = rf"(?>[{_HAN}]{{1,8}}{_PLACE_SUFFIX})"  # longest: 新村路, not 新村

# Numbered parts: 259号, 3幢, 2单元, 501室, 123弄, 3组, 5号楼, A座.
_NUM = r"(?:(?<![0-9])[0-9]{1,6}(?:-[0-9]{1,6}){0,2}[A-Za-z]?|[A-Za-z][0-9]{0,4}|[零〇一二两三四五六七八九十百千]{1,6})"
_UNIT = rf"(?>{_NUM}(?:号楼|号院|号|栋|幢|座|单元|室|组|弄|楼|层))"
_TAIL = r"(?:[0-9]{1,5}(?:-[0-9]{1,5})?(?![0-9]))?"  # 2单元501

# Every part is an atomic group and every repetition is bounded and
# possessive: the text of the minutes is typed by people, and a pattern
# that may backtrack through every way of cutting a long run of 市区县 …
# into units would hang the server (the ReDoS the tests check for).
_DETAIL = rf"(?:{_PLACE}{{1,3}}+{_UNIT}{{1,6}}+|{_UNIT}{{2,6}}+){_TAIL}"
ADDRESS_RE = re.compile(rf"(?P<prefix>{_ADMIN}{{0,6}}+)(?P<detail>{_DETAIL})")
"""An address with a numbered detail: optional administrative prefix, then
either named places (路/街/巷/村 …) followed by numbered parts (259号, 3组),
or at least two numbered parts (1号楼2单元301室). A single ``15号`` is not
an address (文号 〔2024〕15号, 第5号), nor is a district or a road alone."""

_ADMIN_PREFIX_RE = re.compile(rf"{_ADMIN}{{0,6}}+")
_FIRST_COMPONENT_RE = re.compile(
    rf"(?P<name>[{_HAN}]{{1,8}}?)(?:{_ADMIN_SUFFIX}|{_PLACE_SUFFIX})"
)

# Characters and words that cannot begin an address but often come right
# before one (住在…, 反映…, 位于…): the regular expression can only bound
# the name of the first place by its length, so the start of a match is
# moved past the last of these found in that name.
_LEAD_INS = tuple(
    sorted(
        {
            "在",
            "住",
            "是",
            "的",
            "我",
            "你",
            "他",
            "她",
            "们",
            "址",
            "为",
            "到",
            "与",
            "及",
            "或",
            "把",
            "被",
            "对",
            "给",
            "称",
            "说",
            "叫",
            "该",
            "此",
            "这",
            "那",
            "了",
            "着",
            "往",
            "去",
            "搬",
            "据",
            "按",
            "要",
            "想",
            "已",
            "但",
            "就",
            "请",
            "由",
            "位于",
            "住于",
            "居住于",
            "于是",
            "反映",
            "举报",
            "投诉",
            "居住",
            "来自",
            "户籍",
            "地址",
            "住址",
            "信访人",
            "申请人",
            "当事人",
            "代理人",
            "本人",
            "家属",
            "前往",
            "表示",
            "认为",
            "要求",
            "声称",
            "提出",
            "希望",
            "请求",
            "证明",
            "确认",
            "核实",
            "陈述",
            "发言",
            "房屋",
            "门口",
            "附近",
            "原籍",
            "籍贯",
            "现居",
            "家住",
            "租住",
            "暂住",
            "位置",
        },
        key=len,
        reverse=True,
    )
)


def address_prefix(address):
    """The administrative part of an address that stays in the public text:
    省/自治区/市/州/盟/区/县/旗/镇/乡/街道 levels at its start. Knowing the
    district or town of a petitioner is needed to understand the case and
    identifies no one; the street, house and room do."""
    return _ADMIN_PREFIX_RE.match(address).group(0)


def mask_address(address):
    """``浙江省杭州市西湖区文三路259号3幢501室`` → ``浙江省杭州市西湖区××``;
    an address without administrative prefix becomes ``××``."""
    return address[: len(address_prefix(fold(address)))] + ADDRESS_MASK


def _address_starts(folded, start, protected):
    """Where an address match starting at ``start`` may really start, best
    first.

    The first place name of a match may have taken in words before it (我住在
    文三路…, 张三丰浙江省…): the start moves past the last lead-in word in
    that name, and past any name or kept name that ends inside it. The
    unmoved start comes last, for when what is left is no address (a
    petitioner called 文三 does not unmask 文三路259号).
    """
    first = _FIRST_COMPONENT_RE.match(folded, start)
    if not first:
        return [start]
    name_end = first.end("name")
    run = folded[start:name_end]
    cut = 0
    for word in _LEAD_INS:
        index = run.rfind(word)
        if index >= 0:
            cut = max(cut, index + len(word))
    after_lead_in = start + cut
    after_names = after_lead_in
    for _span_start, span_end in protected:
        if after_names < span_end <= name_end:
            after_names = span_end
    return sorted({start, after_lead_in, after_names}, reverse=True)


def _find_addresses(folded, protected):
    """Address-shaped spans: ``(start, end, prefix_length)``."""
    found = []
    pos = 0
    while True:
        match = ADDRESS_RE.search(folded, pos)
        if not match:
            break
        end = match.end()
        for start in _address_starts(folded, match.start(), protected):
            trimmed = ADDRESS_RE.match(folded, start, end)
            if trimmed:
                found.append(
                    (trimmed.start(), trimmed.end(), len(trimmed.group("prefix")))
                )
                break
        pos = end
    return found


# ---------------------------------------------------------------- jieba

_posseg_lock = threading.Lock()
_posseg_tokenizer = None


def _posseg():
    """jieba's part-of-speech tokenizer, built on first use.

    Loading the dictionary takes about a second, so it is not done at import
    time nor at all unless names are to be suggested. It is a tokenizer of
    its own, not jieba's global one, so words other code adds to jieba do
    not change the suggestions; jieba's start-up messages are silenced.
    """
    global _posseg_tokenizer
    with _posseg_lock:
        if _posseg_tokenizer is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import jieba
                import jieba.posseg
            logger = logging.getLogger("jieba")
            if logger.getEffectiveLevel() < logging.WARNING:
                jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
            tokenizer.initialize()
            _posseg_tokenizer = tokenizer
        return _posseg_tokenizer


# jieba's dictionary tags many frequent words "nr" (杜绝, 阳光, 谢谢, 陈述):
# a dictionary word this frequent is taken for a name only where the
# context says it is one (信访人李强, 李强：…).
_COMMON_WORD_FREQUENCY = 100
_BEFORE_NAME = (
    "信访人",
    "申请人",
    "第三人",
    "证人",
    "当事人",
    "代理人",
    "委托人",
    "村民",
    "居民",
    "邻居",
    "群众",
    "其妻",
    "其夫",
    "其子",
    "其女",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "父亲",
    "母亲",
    "老人",
    "亲属",
    "家属",
    "叫",
    "名叫",
)
_AFTER_NAME = (
    *tuple(":：说称讲问答"),
    "表示",
    "同志",
    "先生",
    "女士",
    "老人",
    "一家",
    "家属",
    "夫妇",
)


def _looks_like_name(word):
    """Shape of a name: 2–4 Han characters starting with a surname, not a
    word of the minutes' own vocabulary and not ending like a place."""
    return (
        2 <= len(word) <= 4
        and all(_is_han(ch) for ch in word)
        and (word[0] in COMMON_SURNAMES or word[:2] in COMPOUND_SURNAMES)
        and word not in _NOT_NAMES
        and not word.endswith(_PLACE_ENDINGS)
    )


def _common_word(tokenizer, word):
    """Whether ``word`` reads as ordinary words: a frequent dictionary word
    (杜绝), or one starting with a frequent word not tagged as a name
    (明显|增强, 宣传|教育, 许可|证). Names start with a surname, which rarely
    forms a frequent word with the next character."""
    frequencies = tokenizer.tokenizer.FREQ
    if frequencies.get(word, 0) >= _COMMON_WORD_FREQUENCY:
        return True
    for size in range(2, len(word)):
        head = word[:size]
        is_name = tokenizer.word_tag_tab.get(head, "").startswith("nr")
        if frequencies.get(head, 0) >= _COMMON_WORD_FREQUENCY and not is_name:
            return True
    return False


def _named_in_context(folded, start, end):
    return folded[:start].endswith(_BEFORE_NAME) or folded.startswith(_AFTER_NAME, end)


def suggested_names(text):
    """Person names jieba finds in ``text``: ``[(start, end, name)]``.

    Words tagged ``nr`` (or its kinds ``nrfg``, ``nrt``: jieba tags 李强
    ``nrfg``) of 2 to 4 Han characters that start with a common surname; a
    one-character surname tagged apart from the given name after
    it (赵 / 卫东) is joined to it. jieba's ``nr`` is noisy, so words that
    read as ordinary vocabulary are dropped unless the context marks them as
    a name (a role before, a colon or 说 after). These are suggestions that
    the organizer reviews: jieba misses some names and takes some words for
    names.
    """
    tokenizer = _posseg()
    folded = fold(text)
    tokens = []
    pos = 0
    for pair in tokenizer.cut(folded):
        word, flag = pair.word, pair.flag
        index = folded.find(word, pos)
        if index < 0:
            continue
        tokens.append((index, index + len(word), word, flag))
        pos = index + len(word)
    found = []
    i = 0
    while i < len(tokens):
        start, end, word, flag = tokens[i]
        if (
            flag.startswith("nr")
            and len(word) == 1
            and word in COMMON_SURNAMES
            and i + 1 < len(tokens)
        ):
            n_start, end, given, n_flag = tokens[i + 1]
            if n_start == start + 1 and n_flag.startswith("nr") and len(given) <= 2:
                word = word + given
                i += 1
            else:
                end = start + 1
        i += 1
        if not flag.startswith("nr") or not _looks_like_name(word):
            continue
        if _common_word(tokenizer, word) and not _named_in_context(folded, start, end):
            continue
        found.append((start, end, text[start:end]))
    return found


# ---------------------------------------------------------------- finding

# Among masks with the same span, the more specific kind wins.
_PRIORITY = {
    "name": 0,
    "id_number": 1,
    "phone": 2,
    "plate": 3,
    "address": 4,
    "custom": 5,
    "suggested": 6,
}


def _occurrences(folded, literal):
    """Start positions of ``literal`` (folded) in ``folded``, overlaps
    included (the overlap rule picks among them)."""
    needle = fold(literal)
    positions = []
    if not needle:
        return positions
    index = folded.find(needle)
    while index >= 0:
        positions.append(index)
        index = folded.find(needle, index + 1)
    return positions


def _clean(values):
    """Distinct non-blank strings, longest first (a full name is matched
    before a shorter name inside it)."""
    seen = []
    for value in values or ():
        value = (value or "").strip()
        if value and value not in seen:
            seen.append(value)
    return sorted(seen, key=len, reverse=True)


def _resolve(candidates):
    """Non-overlapping masks: the earliest start wins, then the longest
    span, then the most specific kind; sorted by start."""
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0]), _PRIORITY[c[2]]))
    chosen = []
    last_end = -1
    for candidate in candidates:
        if candidate[0] >= last_end:
            chosen.append(candidate)
            last_end = candidate[1]
    return chosen


def find_masks(  # noqa: C901
    text,
    *,
    names=(),
    addresses=(),
    keep=(),
    additions=(),
    style="surname",
    suggest_names=False,
):
    """The masks that hide the personal data in ``text``, sorted by start.

    ``names``: known private people (petitioners, private parties), masked
    at every occurrence. ``keep``: people who must stay named (the chair,
    panel members, officials): no name mask, known or suggested, overlaps
    one of their occurrences. ``addresses``: known addresses, masked at
    every occurrence like detected ones. ``additions``: further strings the
    organizer asked to hide (kind ``custom``). ``suggest_names`` adds the
    person names jieba finds. ID numbers, phones, plates and address shapes
    are always detected.
    """
    if style not in STYLES:
        raise ValueError(f"unknown name style {style!r}; use one of {STYLES}")
    text = text or ""
    folded = fold(text)
    candidates = []  # (start, end, kind, prefix length of an address)

    kept = []
    for name in _clean(keep):
        kept.extend((i, i + len(name)) for i in _occurrences(folded, name))

    def free_of_kept(start, end):
        """A name is kept only where a kept name covers all of it: 李明华 is
        masked even next to (or containing) an official 李明, because
        hiding too much is the safe mistake."""
        return not any(k_start <= start and end <= k_end for k_start, k_end in kept)

    name_spans = []
    for name in _clean(names):
        if len(name) < 2:
            continue  # one character would mask that character everywhere
        for i in _occurrences(folded, name):
            if free_of_kept(i, i + len(name)):
                candidates.append((i, i + len(name), "name", None))
                name_spans.append((i, i + len(name)))
    if suggest_names:
        for start, end, _word in suggested_names(text):
            if free_of_kept(start, end):
                candidates.append((start, end, "suggested", None))
                name_spans.append((start, end))

    for pattern, kind in (
        (ID_NUMBER_RE, "id_number"),
        (PHONE_RE, "phone"),
        (PLATE_RE, "plate"),
    ):
        candidates.extend(
            (m.start(), m.end(), kind, None) for m in pattern.finditer(folded)
        )

    for address in _clean(addresses):
        prefix = address_prefix(fold(address))
        if len(prefix) == len(address):
            continue  # a bare district or town names no one's home
        for i in _occurrences(folded, address):
            candidates.append((i, i + len(address), "address", len(prefix)))
    for start, end, prefix_length in _find_addresses(folded, name_spans + kept):
        candidates.append((start, end, "address", prefix_length))

    for addition in _clean(additions):
        candidates.extend(
            (i, i + len(addition), "custom", None)
            for i in _occurrences(folded, addition)
        )

    masks = []
    for start, end, kind, extra in _resolve(candidates):
        original = text[start:end]
        if kind == "suggested":
            kind = "name"
        if kind == "name":
            replacement = mask_name(original, style)
        elif kind == "id_number":
            replacement = _mask_characters(original)
        elif kind == "phone":
            replacement = _mask_phone(original)
        elif kind == "plate":
            replacement = _mask_characters(original, keep=1)
        elif kind == "address":
            replacement = original[:extra] + ADDRESS_MASK
        else:
            replacement = CUSTOM_MASK
        masks.append(
            Mask(start, end, kind, original, replacement, mask_key(kind, original))
        )
    return masks


def apply_masks(text, masks, *, excluded=frozenset()):
    """``text`` with the masks applied, except those whose key is in
    ``excluded``; every character outside the applied masks is unchanged.

    Masks computed for another version of the text, or overlapping masks,
    raise ``ValueError``: applying them would garble the published text.
    """
    text = text or ""
    excluded = frozenset(excluded or ())
    parts = []
    pos = 0
    for mask in sorted(masks, key=lambda m: (m.start, m.end)):
        if mask.key in excluded:
            continue
        if text[mask.start : mask.end] != mask.original:
            raise ValueError(
                f"mask {mask.key!r} does not match the text at {mask.start}:{mask.end}"
            )
        if mask.start < pos:
            raise ValueError(f"mask {mask.key!r} overlaps the mask before it")
        parts.append(text[pos : mask.start])
        parts.append(mask.replacement)
        pos = mask.end
    parts.append(text[pos:])
    return "".join(parts)


def redact(
    text,
    *,
    names=(),
    addresses=(),
    keep=(),
    additions=(),
    style="surname",
    suggest_names=False,
    excluded=frozenset(),
):
    """``text`` with its personal data masked: :func:`find_masks` then
    :func:`apply_masks`."""
    masks = find_masks(
        text,
        names=names,
        addresses=addresses,
        keep=keep,
        additions=additions,
        style=style,
        suggest_names=suggest_names,
    )
    return apply_masks(text, masks, excluded=excluded)


def mask_keys(masks):
    """The distinct keys of ``masks`` in order of first appearance: the list
    the organizer reviews and picks exclusions from."""
    keys = []
    seen = set()
    for mask in masks:
        if mask.key not in seen:
            seen.add(mask.key)
            keys.append(mask.key)
    return keys
