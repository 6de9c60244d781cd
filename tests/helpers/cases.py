"""Petition case data as the add form (``case_data``) and REST (``case_json``)
receive it."""

from datetime import timedelta
from xinfang_archive.localtime import local_today


VALID_ID = "110101199003074514"  # a real-shaped ID with a correct check digit


def case_data(**overrides):
    data = {
        "title": "征地补偿款未按时发放",
        "channel": "letter",
        "received_date": local_today() - timedelta(days=3),
        "petitioners": [
            {
                "name": "张三",
                "id_number": VALID_ID,
                "phone": "13812345678",
                "address": "浙江省杭州市西湖区文三路100号",
                "representative": False,
            }
        ],
        "people_count": 1,
        "category": "land",
        "grade": "ordinary",
        "flags": set(),
        "summary": "村民反映2023年征地补偿款至今未发放到位。",
        "request": "要求尽快发放征地补偿款。",
    }
    data.update(overrides)
    return data


def case_json(**overrides):
    data = case_data(**overrides)
    data["received_date"] = data["received_date"].isoformat()
    data["flags"] = sorted(data["flags"])
    data["@type"] = "PetitionCase"
    return data
