"""The redaction engine for published hearing minutes (pure Python, no Plone)."""

from xinfang_archive.privacy.redaction import address_prefix
from xinfang_archive.privacy.redaction import apply_masks
from xinfang_archive.privacy.redaction import find_masks
from xinfang_archive.privacy.redaction import fold
from xinfang_archive.privacy.redaction import Mask
from xinfang_archive.privacy.redaction import mask_address
from xinfang_archive.privacy.redaction import mask_keys
from xinfang_archive.privacy.redaction import mask_name
from xinfang_archive.privacy.redaction import redact
from xinfang_archive.privacy.redaction import suggested_names

import dataclasses
import os
import pytest
import random
import subprocess
import sys
import time


def spans(masks):
    return [(m.kind, m.original) for m in masks]


def only(text, kind, **kwargs):
    """The originals of the masks of one kind."""
    return [m.original for m in find_masks(text, **kwargs) if m.kind == kind]


def assert_well_formed(text, masks):
    """Sorted, non-overlapping, and each mask's original is its span."""
    previous_end = 0
    for mask in masks:
        assert mask.start >= previous_end
        assert text[mask.start : mask.end] == mask.original
        assert mask.key.startswith(mask.kind + ":")
        previous_end = mask.end


# ---------------------------------------------------------------- mask_name


@pytest.mark.parametrize(
    "name, masked",
    [
        ("张三丰", "张某"),
        ("李四", "李某"),
        ("欧阳修", "欧阳某"),
        ("司马相如", "司马某"),
        ("诸葛亮", "诸葛某"),
        ("上官婉儿", "上官某"),
        ("尉迟恭", "尉迟某"),
        ("皇甫嵩", "皇甫某"),
        ("慕容复", "慕容某"),
        ("令狐冲", "令狐某"),
        ("万俟卨", "万俟某"),
        ("澹台灭明", "澹台某"),
        ("欧阳", "欧某"),  # too short for a compound surname and a given name
        ("王", "某"),
        (" 张三 ", "张某"),
    ],
)
def test_mask_name_surname_style(name, masked):
    assert mask_name(name) == masked
    assert mask_name(name, style="surname") == masked


@pytest.mark.parametrize("name", ["张三丰", "欧阳修", "李四", "王"])
def test_mask_name_full_style(name):
    assert mask_name(name, style="full") == "某某"


def test_mask_name_edge_cases():
    assert mask_name("") == ""
    assert mask_name(None) == ""
    assert mask_name("John Smith") == "某某"  # no Chinese surname to keep
    with pytest.raises(ValueError):
        mask_name("张三", style="initials")


# ---------------------------------------------------------------- folding


def test_fold_keeps_length_and_folds_full_width():
    text = "手机１３８１２３４５６７８，（０５７１）　Ａ"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "手机13812345678,(0571) A"
    assert fold("") == ""
    assert fold(None) == ""


# ---------------------------------------------------------------- names


def test_known_names_masked_at_every_occurrence():
    text = "信访人张三丰称，张三丰本人于2024年5月6日来访。张三丰："
    masks = find_masks(text, names=["张三丰"])
    assert spans(masks) == [("name", "张三丰")] * 3
    assert {m.key for m in masks} == {"name:张三丰"}
    assert {m.replacement for m in masks} == {"张某"}
    assert (
        redact(text, names=["张三丰"])
        == "信访人张某称，张某本人于2024年5月6日来访。张某："
    )


def test_known_names_full_style():
    text = "申请人欧阳秀兰、张三丰到场。"
    assert redact(text, names=["欧阳秀兰", "张三丰"]) == "申请人欧阳某、张某到场。"
    assert (
        redact(text, names=["欧阳秀兰", "张三丰"], style="full")
        == "申请人某某、某某到场。"
    )
    with pytest.raises(ValueError):
        find_masks(text, style="initials")


def test_longest_name_first():
    text = "张三丰与张三是邻居。"
    masks = find_masks(text, names=["张三", "张三丰"])
    assert spans(masks) == [("name", "张三丰"), ("name", "张三")]
    assert mask_keys(masks) == ["name:张三丰", "name:张三"]


def test_keep_is_never_masked():
    text = "主持人张三丰：请信访人张三陈述。张三：好的。"
    # 张三 is a petitioner; the chair 张三丰 contains that name but is kept.
    masks = find_masks(text, names=["张三"], keep=["张三丰"])
    assert [m.start for m in masks] == [text.index("张三陈述"), text.index("张三：")]
    assert (
        redact(text, names=["张三"], keep=["张三丰"])
        == "主持人张三丰：请信访人张某陈述。张某：好的。"
    )
    # a name given both as private and as kept stays
    assert redact(text, names=["张三丰"], keep=["张三丰"]) == text


def test_one_character_and_blank_names_are_ignored():
    text = "张三说，张家的房子在张村。"
    assert find_masks(text, names=["张", "", "  ", None]) == []


# ---------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    "number, masked",
    [
        ("110101199003074514", "******************"),
        ("11010119900307451X", "******************"),
        ("11010119900307451x", "******************"),
        ("110101 19900307 4514", "****** ******** ****"),
        ("110101-19900307-4514", "******-********-****"),
        ("330102800101123", "***************"),  # old 15-digit number
        ("１１０１０１１９９００３０７４５１Ｘ", "******************"),
    ],
)
def test_id_numbers(number, masked):
    text = f"身份证号{number}，"
    masks = find_masks(text)
    assert spans(masks) == [("id_number", number)]
    assert masks[0].replacement == masked
    assert redact(text) == f"身份证号{masked}，"


def test_id_number_keys_are_normalised():
    keys = {
        find_masks(number)[0].key
        for number in (
            "11010119900307451X",
            "11010119900307451x",
            "110101 19900307 451X",
            "１１０１０１１９９００３０７４５１ｘ",
            "110101 1990 0307 451X",
            "110101-1990-0307-451X",
        )
    }
    assert keys == {"id_number:11010119900307451X"}


@pytest.mark.parametrize(
    "text",
    [
        "银行卡号6222021234567890123",  # 19 digits: no ID inside
        "流水号12345678901234567890",  # 20 digits
        "编号11010119900307451",  # 17 digits
        "订单123456789012345",  # 15 digits without a birth date (month 90)
        "档号X001-XF·2024-D30-JSJ-0007",
        "2024年5月6日",
    ],
)
def test_id_number_negatives(text):
    assert only(text, "id_number") == []


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "number, masked",
    [
        ("13812345678", "***********"),
        ("138 1234 5678", "*** **** ****"),
        ("138-1234-5678", "***-****-****"),
        ("+86 138 1234 5678", "+** *** **** ****"),
        ("+86-13812345678", "+**-***********"),
        ("8613812345678", "*************"),
        ("１３８１２３４５６７８", "***********"),
        ("0571-87654321", "****-********"),
        ("(0571)87654321", "(****)********"),
        ("（0571）87654321", "（****）********"),
        ("010-12345678", "***-********"),
        ("057187654321", "************"),
        ("0571-87654321-8001", "****-********-****"),
        ("0571-8765-4321", "****-****-****"),
        ("010 1234 5678", "*** **** ****"),
    ],
)
def test_phones(number, masked):
    text = f"联系电话：{number}。"
    masks = find_masks(text)
    assert spans(masks) == [("phone", number)]
    assert masks[0].replacement == masked
    assert redact(text) == f"联系电话：{masked}。"


def test_phone_keys_are_normalised():
    texts = (
        "13812345678",
        "138 1234 5678",
        "+86-138-1234-5678",
        "１３８ １２３４ ５６７８",
        "0086 13812345678",
    )
    assert {find_masks(t)[0].key for t in texts} == {"phone:13812345678"}
    assert (
        find_masks("(0571)87654321")[0].key
        == find_masks("0571-87654321")[0].key
        == "phone:057187654321"
    )


@pytest.mark.parametrize(
    "text",
    [
        "依据杭信访〔2024〕5号文件",
        "于2024年5月6日到访",
        "拨打12345热线",
        "补偿款12000元",
        "日期20240506",
        "编号1381234567890",  # 13 digits: no mobile inside
        "编号1381234567",  # 10 digits
        "号码12812345678",  # 12x is no mobile prefix
        "银行卡号6222021234567890123",
        "电话87654321",  # no area code: too ambiguous to mask
    ],
)
def test_phone_negatives(text):
    assert only(text, "phone") == []


# ---------------------------------------------------------------- plates


@pytest.mark.parametrize(
    "plate, masked",
    [
        ("浙A12345", "浙******"),
        ("浙A·12345", "浙*·*****"),
        ("浙A 1234学", "浙* *****"),
        ("京N1234警", "京******"),
        ("浙AD12345", "浙*******"),  # new energy
        ("浙A12345F", "浙*******"),
        ("粤B8C9D7", "粤******"),
        ("浙Ａ１２３４５", "浙******"),
    ],
)
def test_plates(plate, masked):
    text = f"车牌号为{plate}的小车"
    masks = find_masks(text)
    assert spans(masks) == [("plate", plate)]
    assert masks[0].replacement == masked
    assert redact(text) == f"车牌号为{masked}的小车"


def test_plate_keys_are_normalised():
    texts = ("浙A12345", "浙A·12345", "浙A 12345", "浙Ａ１２３４５", "浙a12345")
    assert {find_masks(t)[0].key for t in texts} == {"plate:浙A12345"}


@pytest.mark.parametrize(
    "text",
    [
        "浙江省杭州市",
        "浙江大学",
        "浙I12345",  # no I on plates
        "浙O12345",  # no O on plates
        "京ABCDE",  # no digits
        "浙A123",  # too short
        "浙A1234567",  # too long
        "沪EXPO2010",
        "档号X001-XF·2024-D30-JSJ-0007",
    ],
)
def test_plate_negatives(text):
    assert only(text, "plate") == []


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "text, original, masked",
    [
        (
            "我住在浙江省杭州市西湖区文三路259号3幢501室。",
            "浙江省杭州市西湖区文三路259号3幢501室",
            "浙江省杭州市西湖区××",
        ),
        ("家住杭州市上城区解放路88号，", "杭州市上城区解放路88号", "杭州市上城区××"),
        (
            "地址：宁波市镇海区骆驼街道民和路12号",
            "宁波市镇海区骆驼街道民和路12号",
            "宁波市镇海区骆驼街道××",
        ),
        ("老宅在转塘街道象山村五组。", "转塘街道象山村五组", "转塘街道××"),
        ("住长乐路123弄4号601室", "长乐路123弄4号601室", "××"),
        ("他家住红星村3组，", "红星村3组", "××"),
        ("翠苑小区3幢2单元501室", "翠苑小区3幢2单元501室", "××"),  # 小区 is no district
        ("住1号楼2单元301室", "1号楼2单元301室", "××"),
        ("杭州市市心中路88号", "杭州市市心中路88号", "杭州市××"),
        ("信访人反映西湖区文三路259号的围墙倒塌", "西湖区文三路259号", "西湖区××"),
        ("位于新村路12号", "新村路12号", "××"),
        (
            "新疆维吾尔自治区乌鲁木齐市天山区解放南路25号",
            "新疆维吾尔自治区乌鲁木齐市天山区解放南路25号",
            "新疆维吾尔自治区乌鲁木齐市天山区××",
        ),
        (
            "住浙江省杭州市西湖区文三路２５９号",
            "浙江省杭州市西湖区文三路２５９号",
            "浙江省杭州市西湖区××",
        ),
    ],
)
def test_detected_addresses(text, original, masked):
    masks = find_masks(text)
    assert spans(masks) == [("address", original)]
    assert masks[0].replacement == masked
    assert redact(text) == text.replace(original, masked)


@pytest.mark.parametrize(
    "text",
    [
        "地点：西湖区信访局三楼听证室",
        "文三路的路灯坏了",  # a road without a number
        "浙江省杭州市西湖区",  # no detail
        "依据杭信访〔2024〕15号文件",
        "第3组的意见",
        "涉及红星村12户村民",  # households are not a house number
        "于2024年5月6日支付12000元",
        "3号楼前",  # one numbered part alone
    ],
)
def test_address_negatives(text):
    assert only(text, "address") == []


def test_address_prefix_and_mask_address():
    assert address_prefix("浙江省杭州市西湖区文三路259号") == "浙江省杭州市西湖区"
    assert address_prefix("杭州市西湖区转塘街道象山村5组") == "杭州市西湖区转塘街道"
    assert (
        address_prefix("内蒙古自治区呼和浩特市新城区") == "内蒙古自治区呼和浩特市新城区"
    )
    assert address_prefix("文三路259号") == ""
    assert (
        mask_address("浙江省杭州市西湖区文三路259号3幢501室") == "浙江省杭州市西湖区××"
    )
    assert mask_address("长乐路123弄4号") == "××"


def test_known_addresses_masked_at_every_occurrence():
    # 翠苑新村 has no house number: not found by shape, found because known
    text = "户籍地杭州市西湖区翠苑新村，现仍住杭州市西湖区翠苑新村。"
    masks = find_masks(text, addresses=["杭州市西湖区翠苑新村"])
    assert spans(masks) == [("address", "杭州市西湖区翠苑新村")] * 2
    assert len(mask_keys(masks)) == 1
    assert (
        redact(text, addresses=["杭州市西湖区翠苑新村"])
        == "户籍地杭州市西湖区××，现仍住杭州市西湖区××。"
    )


def test_known_address_without_detail_is_not_masked():
    # a district alone names no one's home, and would hide the bureau's name
    text = "杭州市西湖区信访局受理了杭州市西湖区居民的来信。"
    assert find_masks(text, addresses=["杭州市西湖区", ""]) == []


def test_name_before_address_is_not_swallowed():
    text = "张三丰浙江省杭州市西湖区文三路259号"
    masks = find_masks(text, names=["张三丰"])
    assert spans(masks) == [
        ("name", "张三丰"),
        ("address", "浙江省杭州市西湖区文三路259号"),
    ]
    assert redact(text, names=["张三丰"]) == "张某浙江省杭州市西湖区××"
    # a kept name is not taken into an address either
    masks = find_masks("主持人李明杭州市西湖区文三路1号", keep=["李明"])
    assert spans(masks) == [("address", "杭州市西湖区文三路1号")]


def test_pathological_input_is_fast():
    # typed text must never make the address pattern backtrack for ever
    texts = [
        "市" * 5000,
        "市区县镇乡" * 1000,
        "区" * 3000 + "路1号",
        "1号" * 3000,
        "村" * 3000 + "3",
        "9" * 5000,
    ]
    started = time.perf_counter()
    for text in texts:
        find_masks(text)
    assert time.perf_counter() - started < 5


# ---------------------------------------------------------------- additions


def test_additions_are_custom_masks():
    text = "其在宏达五金厂工作，工资卡6222021234567890123由宏达五金厂代发。"
    masks = find_masks(text, additions=["宏达五金厂", "6222021234567890123"])
    assert spans(masks) == [
        ("custom", "宏达五金厂"),
        ("custom", "6222021234567890123"),
        ("custom", "宏达五金厂"),
    ]
    assert {m.replacement for m in masks} == {"××"}
    assert mask_keys(masks) == ["custom:宏达五金厂", "custom:6222021234567890123"]
    assert (
        redact(text, additions=["宏达五金厂", "6222021234567890123"])
        == "其在××工作，工资卡××由××代发。"
    )


def test_addition_matches_full_width_spelling():
    masks = find_masks("账号：１２３４５６７８９", additions=["123456789"])
    assert spans(masks) == [("custom", "１２３４５６７８９")]
    assert masks[0].key == "custom:123456789"


# ---------------------------------------------------------------- overlaps


def test_overlap_earliest_start_wins():
    text = "李四光电公司"
    masks = find_masks(text, names=["李四光"], additions=["四光电"])
    assert spans(masks) == [("name", "李四光")]


def test_overlap_longest_wins_at_same_start():
    text = "文三路259号"
    masks = find_masks(text, names=["文三"])
    assert spans(masks) == [("address", "文三路259号")]
    masks = find_masks("张三丰家属", names=["张三丰"], additions=["张三丰家"])
    assert spans(masks) == [("custom", "张三丰家")]


def test_same_span_keeps_the_specific_kind():
    masks = find_masks("电话13812345678", additions=["13812345678"])
    assert spans(masks) == [("phone", "13812345678")]


def test_masks_never_overlap():
    text = "张三丰住浙江省杭州市西湖区文三路259号张三丰家，电话13812345678张三丰"
    masks = find_masks(
        text,
        names=["张三丰", "三丰", "张三"],
        addresses=["杭州市西湖区文三路259号"],
        additions=["259号张三", "5678张"],
    )
    assert_well_formed(text, masks)
    assert masks == sorted(masks, key=lambda m: m.start)


# ---------------------------------------------------------------- applying


def test_apply_masks_excludes_keys_at_every_occurrence():
    text = "张三丰电话13812345678。张三丰又说，电话13812345678可以联系。"
    masks = find_masks(text, names=["张三丰"])
    assert mask_keys(masks) == ["name:张三丰", "phone:13812345678"]
    assert (
        apply_masks(text, masks)
        == "张某电话***********。张某又说，电话***********可以联系。"
    )
    assert (
        apply_masks(text, masks, excluded={"phone:13812345678"})
        == "张某电话13812345678。张某又说，电话13812345678可以联系。"
    )
    assert (
        apply_masks(text, masks, excluded={"name:张三丰"})
        == "张三丰电话***********。张三丰又说，电话***********可以联系。"
    )
    assert apply_masks(text, masks, excluded=mask_keys(masks)) == text


def test_exclusion_key_covers_other_spellings():
    text = "电话138 1234 5678，又称+86-13812345678，车牌浙A·12345即浙A12345。"
    masks = find_masks(text)
    assert mask_keys(masks) == ["phone:13812345678", "plate:浙A12345"]
    assert (
        redact(text, excluded={"phone:13812345678"})
        == "电话138 1234 5678，又称+86-13812345678，车牌浙*·*****即浙******。"
    )


def test_apply_masks_leaves_other_text_identical():
    text = "第一段。\r\n信访人张三丰：  电话13812345678\t（本人）\n\n  尾部 text ✓"
    masks = find_masks(text, names=["张三丰"])
    result = apply_masks(text, masks)
    assert (
        result == "第一段。\r\n信访人张某：  电话***********\t（本人）\n\n  尾部 text ✓"
    )
    assert apply_masks(text, []) == text
    assert apply_masks("", []) == ""


def test_apply_masks_refuses_stale_or_overlapping_masks():
    text = "信访人张三丰"
    masks = find_masks(text, names=["张三丰"])
    with pytest.raises(ValueError):
        apply_masks("信访人李四光", masks)
    a = Mask(0, 3, "custom", "信访人", "××", "custom:信访人")
    b = Mask(2, 6, "name", "人张三丰", "某某", "name:人张三丰")
    with pytest.raises(ValueError):
        apply_masks(text, [a, b])
    # an excluded mask does not count as overlapping
    assert apply_masks(text, [a, b], excluded={"custom:信访人"}) == "信访某某"


def test_mask_is_frozen():
    mask = find_masks("13812345678")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mask.replacement = "13812345678"


def test_mask_keys_distinct_in_order():
    masks = find_masks("浙A12345，张三，13812345678，张三，浙A·12345", names=["张三"])
    assert mask_keys(masks) == ["plate:浙A12345", "name:张三", "phone:13812345678"]
    assert mask_keys([]) == []


def test_empty_text():
    assert find_masks("") == []
    assert find_masks(None) == []
    assert redact("") == ""


# ---------------------------------------------------------------- a transcript

TRANSCRIPT = """杭州市西湖区信访局听证笔录
时间：2024年5月6日上午9时30分
地点：西湖区信访局三楼听证室
依据：杭信访〔2024〕15号
主持人：李明（区信访局副局长）
听证员：王芳、陈志刚
记录员：周晓燕

主持人李明：现在开始听证。请信访人陈述诉求。
信访人张三丰：我住在浙江省杭州市西湖区文三路259号，电话13812345678，身份证号110101199003074514，车牌浙A12345。2023年我家房屋被征收，补偿款12000元至今没有到账。
主持人李明：请被申请人说明情况。
被申请人代理人赵卫东：经核实，张三丰反映的补偿款已于2024年3月1日拨付至其银行账户，回执编号XF2024-0315。
信访人张三丰：我没有收到。我妻子欧阳秀兰也可以作证，她的手机是139-8765-4321，身份证110101 19920815 362X。我家老宅在转塘街道象山村五组。
听证员王芳：请问信访人是否还有其他联系方式？
信访人张三丰：座机0571-87654321，也可以寄到长乐路123弄4号601室我女儿家，她开的车是浙AD12345。
主持人李明：听证结束，本次听证不收取任何费用。"""

PERSONAL = [
    "张三丰",
    "欧阳秀兰",
    "文三路259号",
    "13812345678",
    "110101199003074514",
    "浙A12345",
    "139-8765-4321",
    "110101 19920815 362X",
    "象山村五组",
    "0571-87654321",
    "长乐路123弄4号601室",
    "浙AD12345",
]

UNRELATED = [
    "杭州市西湖区信访局听证笔录",
    "2024年5月6日上午9时30分",
    "西湖区信访局三楼听证室",
    "杭信访〔2024〕15号",
    "主持人：李明（区信访局副局长）",
    "听证员：王芳、陈志刚",
    "记录员：周晓燕",
    "补偿款12000元",
    "2024年3月1日",
    "回执编号XF2024-0315",
    "2023年我家房屋被征收",
    "主持人李明：听证结束，本次听证不收取任何费用。",
]

OFFICIALS = ["李明", "王芳", "陈志刚", "周晓燕"]


def test_transcript_redaction():
    names = ["张三丰", "欧阳秀兰", "赵卫东"]
    addresses = ["浙江省杭州市西湖区文三路259号"]
    masks = find_masks(TRANSCRIPT, names=names, addresses=addresses, keep=OFFICIALS)
    assert_well_formed(TRANSCRIPT, masks)
    public = apply_masks(TRANSCRIPT, masks)
    for original in [*PERSONAL, "赵卫东"]:
        assert original not in public
    for text in UNRELATED:
        assert text in public
    assert public.count("\n") == TRANSCRIPT.count("\n")
    assert (
        "信访人张某：我住在浙江省杭州市西湖区××，电话***********，身份证号******************，车牌浙******。"
        in public
    )
    assert (
        "我妻子欧阳某也可以作证，她的手机是***-****-****，身份证****** ******** ****。我家老宅在转塘街道××。"
        in public
    )
    assert "座机****-********，也可以寄到××我女儿家，她开的车是浙*******。" in public
    assert "被申请人代理人赵某：经核实，张某反映的补偿款" in public
    assert (
        redact(TRANSCRIPT, names=names, addresses=addresses, keep=OFFICIALS) == public
    )
    assert mask_keys(masks) == [
        "name:张三丰",
        "address:浙江省杭州市西湖区文三路259号",
        "phone:13812345678",
        "id_number:110101199003074514",
        "plate:浙A12345",
        "name:赵卫东",
        "name:欧阳秀兰",
        "phone:13987654321",
        "id_number:11010119920815362X",
        "address:转塘街道象山村五组",
        "phone:057187654321",
        "address:长乐路123弄4号601室",
        "plate:浙AD12345",
    ]


def test_transcript_full_style_and_exclusion():
    public = redact(
        TRANSCRIPT,
        names=["张三丰", "欧阳秀兰"],
        style="full",
        excluded={"address:长乐路123弄4号601室"},
    )
    assert "信访人某某：" in public
    assert "我妻子某某也可以作证" in public
    assert "也可以寄到长乐路123弄4号601室我女儿家" in public
    assert "张三丰" not in public and "欧阳" not in public


# ---------------------------------------------------------------- suggestions


def test_suggested_names():
    found = suggested_names(TRANSCRIPT)
    names = {name for _start, _end, name in found}
    # 王建国-style names are in jieba's dictionary as nr; 周晓燕 and 李明 are
    # found by its HMM; 赵 / 卫东 come as two nr words and are joined.
    assert {"张三丰", "李明", "王芳", "陈志刚", "周晓燕", "赵卫东"} <= names
    for start, end, name in found:
        assert TRANSCRIPT[start:end] == name
    # words jieba's dictionary tags nr but that are ordinary vocabulary
    assert "陈述" not in names
    assert suggested_names("谢谢大家，我们要杜绝推诿，查明情况，关怀群众。") == []


def test_suggested_name_in_context_is_kept():
    # 李强 is a frequent dictionary word; after a role it is a name
    assert [n for _s, _e, n in suggested_names("信访人李强：我不同意。")] == ["李强"]


def test_suggest_names_masks_and_respects_keep():
    text = (
        "主持人李明：请信访人王建国陈述。王建国：我家在文三路259号。证人周晓燕说属实。"
    )
    masks = find_masks(text, keep=["李明"], suggest_names=True)
    assert spans(masks) == [
        ("name", "王建国"),
        ("name", "王建国"),
        ("address", "文三路259号"),
        ("name", "周晓燕"),
    ]
    assert mask_keys(masks)[0] == "name:王建国"
    public = redact(text, keep=["李明"], suggest_names=True)
    assert public == "主持人李明：请信访人王某陈述。王某：我家在××。证人周某说属实。"
    assert redact(text, keep=["李明"], suggest_names=True, style="full").startswith(
        "主持人李明：请信访人某某陈述。"
    )
    # without suggestions, unknown names stay
    assert (
        redact(text, keep=["李明"])
        == "主持人李明：请信访人王建国陈述。王建国：我家在××。证人周晓燕说属实。"
    )


def test_a_name_longer_than_a_kept_name_is_still_masked():
    text = "主持人李明：请信访人王建国陈述。"
    # keep 王建 lies inside the suggestion 王建国: the longer name is masked
    masks = find_masks(text, keep=["李明", "王建"], suggest_names=True)
    assert [m.original for m in masks] == ["王建国"]
    # known names too: the petitioner 王强国 next to the official 王强
    assert (
        redact("王强国说完，王强主持。", names=["王强国"], keep=["王强"])
        == "王某说完，王强主持。"
    )
    # a kept name covering the whole of a name keeps it
    assert find_masks("听证员王建国发言。", names=["王建"], keep=["王建国"]) == []


def test_jieba_is_loaded_lazily_and_silently():
    code = (
        "import sys\n"
        "from xinfang_archive.privacy import redaction\n"
        "redaction.find_masks('信访人王建国：电话13812345678')\n"
        "assert 'jieba' not in sys.modules, 'jieba loaded without suggest_names'\n"
        "masks = redaction.find_masks('信访人王建国：我不同意。', suggest_names=True)\n"
        "assert [m.original for m in masks] == ['王建国'], masks\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_random_text_gives_well_formed_masks():
    # a deterministic fuzz over the characters the patterns care about
    alphabet = "0123456789０１２３ -+()（）·号幢室单元组弄路街村区市县省镇乡街道浙京ADXIO张三丰欧阳李明，。：学"
    rng = random.Random(20240506)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        masks = find_masks(
            text,
            names=["张三丰", "欧阳"],
            keep=["李明"],
            additions=["三丰路"],
            addresses=["浙江省1号"],
        )
        assert_well_formed(text, masks)
        assert apply_masks(text, masks, excluded=mask_keys(masks)) == text
        assert len(mask_keys(masks)) == len({m.key for m in masks})
