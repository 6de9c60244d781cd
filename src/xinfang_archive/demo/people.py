"""Random but plausible petitioners (信访人) for demo data.

Everything takes a ``random.Random`` so that a seed gives the same people.
ID numbers follow GB 11643-1999: a real county code, a real birth date, a
sequence number whose parity is the sex, and the MOD 11-2 check digit.
"""

from datetime import timedelta
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.idcard import check_digit


# The most common surnames, roughly by frequency (weights in 万 people / 100).
SURNAMES = (
    ("王", 101),
    ("李", 100),
    ("张", 95),
    ("刘", 72),
    ("陈", 61),
    ("杨", 46),
    ("黄", 33),
    ("赵", 28),
    ("吴", 27),
    ("周", 26),
    ("徐", 20),
    ("孙", 19),
    ("马", 19),
    ("朱", 18),
    ("胡", 16),
    ("郭", 16),
    ("何", 15),
    ("林", 14),
    ("高", 14),
    ("罗", 14),
    ("郑", 12),
    ("梁", 12),
    ("谢", 10),
    ("宋", 9),
    ("唐", 9),
    ("许", 9),
    ("韩", 9),
    ("邓", 8),
    ("冯", 8),
    ("曹", 8),
    ("彭", 8),
    ("曾", 7),
    ("肖", 7),
    ("田", 7),
    ("董", 7),
    ("潘", 6),
    ("袁", 6),
    ("蔡", 6),
    ("蒋", 6),
    ("余", 6),
    ("于", 6),
    ("杜", 5),
    ("叶", 5),
    ("程", 5),
    ("魏", 5),
    ("苏", 5),
    ("吕", 5),
    ("丁", 5),
    ("任", 5),
    ("卢", 4),
    ("姚", 4),
    ("沈", 4),
    ("钟", 4),
    ("姜", 4),
    ("崔", 4),
    ("谭", 4),
    ("陆", 4),
    ("范", 3),
    ("汪", 3),
    ("廖", 3),
    ("石", 3),
    ("金", 3),
    ("韦", 3),
    ("贾", 3),
    ("夏", 3),
    ("付", 3),
    ("方", 3),
    ("邹", 3),
    ("熊", 3),
    ("白", 3),
    ("孟", 3),
    ("秦", 3),
    ("邱", 3),
    ("侯", 3),
    ("江", 3),
    ("尹", 3),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("龙", 2),
    ("黎", 2),
    ("史", 2),
    ("陶", 2),
    ("贺", 2),
    ("毛", 2),
    ("郝", 2),
    ("顾", 2),
    ("龚", 2),
    ("邵", 2),
    ("万", 2),
    ("覃", 2),
    ("武", 2),
    ("钱", 2),
    ("戴", 2),
    ("严", 2),
    ("欧阳", 1),
    ("司马", 1),
    ("诸葛", 1),
)

MALE_CHARACTERS = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "平",
    "刚",
    "辉",
    "鹏",
    "华",
    "飞",
    "斌",
    "波",
    "宇",
    "浩",
    "凯",
    "健",
    "俊",
    "帆",
    "建",
    "国",
    "庆",
    "文",
    "志",
    "永",
    "兴",
    "福",
    "贵",
    "德",
    "忠",
    "林",
    "海",
    "东",
    "生",
    "根",
    "春",
    "荣",
    "长",
    "发",
    "成",
    "山",
    "宏",
    "新",
    "金",
    "正",
    "保",
    "才",
    "祥",
    "有",
    "学",
    "友",
    "胜",
)
FEMALE_CHARACTERS = (
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "秀",
    "英",
    "玲",
    "桂",
    "兰",
    "红",
    "梅",
    "琴",
    "云",
    "莲",
    "凤",
    "萍",
    "燕",
    "洁",
    "婷",
    "雪",
    "慧",
    "琳",
    "倩",
    "颖",
    "欣",
    "悦",
    "春",
    "淑",
    "珍",
    "翠",
    "菊",
    "花",
    "美",
    "月",
    "小",
    "冬",
    "玉",
    "金",
)

# County-level administrative division codes (GB/T 2260): most petitioners
# live in the bureau's own county, a few come from elsewhere.
LOCAL_REGION = "360981"  # 江西省丰城市
OTHER_REGIONS = (
    "360902",  # 宜春市袁州区
    "360124",  # 南昌市进贤县
    "360102",  # 南昌市东湖区
    "361002",  # 抚州市临川区
    "430104",  # 长沙市岳麓区
    "420111",  # 武汉市洪山区
    "441303",  # 惠州市惠阳区
    "330106",  # 杭州市西湖区
    "110105",  # 北京市朝阳区
    "350102",  # 福州市鼓楼区
)

MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "198",
    "199",
)

STREETS = (
    "人民路",
    "解放路",
    "建设路",
    "新华路",
    "胜利街",
    "中山路",
    "和平路",
    "文化路",
    "府前街",
    "东风路",
    "育才路",
    "商贸街",
)
ESTATES = ("幸福小区", "阳光花园", "锦绣家园", "滨江苑", "金桂园", "翠竹小区")


def _weighted(rng, pairs):
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return rng.choices(values, weights=weights)[0]


def random_surname(rng):
    return _weighted(rng, SURNAMES)


def random_name(rng, sex=None):
    """A Chinese name: a common surname and a one- or two-character given name."""
    sex = sex or rng.choice("MF")
    pool = MALE_CHARACTERS if sex == "M" else FEMALE_CHARACTERS
    length = 1 if rng.random() < 0.3 else 2
    given = "".join(rng.choice(pool) for _ in range(length))
    if length == 2 and given[0] == given[1] and rng.random() < 0.7:
        given = given[0] + rng.choice(pool)
    return random_surname(rng) + given


def random_birth_date(rng, today=None, min_age=18, max_age=85):
    today = today or local_today()
    latest = today - timedelta(days=int(min_age * 365.25) + 1)
    earliest = today - timedelta(days=int(max_age * 365.25))
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def id_number(region, birth, sequence):
    """The 18-character ID number of ``region`` (6 digits), ``birth`` and a
    3-digit ``sequence`` (odd for men, even for women), with its check digit."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"Bad ID number parts: {region!r} {birth!r} {sequence!r}")
    return first17 + check_digit(first17)


def random_id_number(rng, birth=None, sex=None, region=None, today=None):
    birth = birth or random_birth_date(rng, today)
    sex = sex or rng.choice("MF")
    if region is None:
        region = LOCAL_REGION if rng.random() < 0.85 else rng.choice(OTHER_REGIONS)
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    return id_number(region, birth, sequence)


def random_phone(rng):
    """An 11-digit mobile number (13x, 15x, 18x, 19x)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


class Places:
    """Townships and villages of the unit list (``code|title|parent|level`` rows)."""

    def __init__(self, unit_rows):
        rows = [tuple(row) + ("",) * max(0, 4 - len(row)) for row in unit_rows]
        self.titles = {row[0]: row[1] for row in rows}
        self.townships = [row[0] for row in rows if row[3] == "township"]
        self.villages = [row[0] for row in rows if row[3] == "village"]
        self.parent = {row[0]: row[2] for row in rows}

    def township_of(self, code):
        """The township of a village or township code, or None."""
        if code in self.townships:
            return code
        parent = self.parent.get(code)
        return parent if parent in self.townships else None

    def full_title(self, code):
        """``城关镇东村`` for a village, the title alone for other units."""
        title = self.titles.get(code, "")
        township = self.township_of(code)
        if township and township != code:
            return self.titles.get(township, "") + title
        return title

    def random_place(self, rng):
        """A township or village code where the petitioner lives (or None)."""
        choices = self.villages + self.townships
        return rng.choice(choices) if choices else None

    def address(self, rng, place=None):
        """A postal address in ``place`` (a unit code): 城关镇东村3组12号."""
        place = place if place is not None else self.random_place(rng)
        if place in self.villages:
            return (
                f"{self.full_title(place)}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
            )
        town = self.titles.get(place, "") if place else ""
        if rng.random() < 0.4:
            return (
                f"{town}{rng.choice(ESTATES)}{rng.randint(1, 20)}栋"
                f"{rng.randint(1, 6)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
            )
        return f"{town}{rng.choice(STREETS)}{rng.randint(1, 300)}号"


def random_petitioner(rng, places, representative=False, place=None, today=None):
    """A petitioner row as the case's ``petitioners`` field stores it."""
    sex = "M" if rng.random() < 0.6 else "F"
    birth = random_birth_date(rng, today, min_age=20, max_age=82)
    return {
        "name": random_name(rng, sex),
        "id_number": random_id_number(rng, birth=birth, sex=sex, today=today),
        "phone": random_phone(rng),
        "address": places.address(rng, place),
        "representative": bool(representative),
    }
