"""The demo bureau's name and contact line (the footer, beside the logo)."""

from xinfang_archive.controlpanel.settings import get_settings


DEMO_BUREAU = "城西县信访局"
DEMO_CONTACT = (
    "地址：城西县人民路1号　电话：0000-12345678（演示）　接待时间：工作日 8:30—17:30"
)


def set_demo_bureau():
    settings = get_settings()
    if settings.bureau_name == "信访局":  # the default: a bureau's own name is kept
        settings.bureau_name = DEMO_BUREAU
    if not settings.bureau_contact:
        settings.bureau_contact = DEMO_CONTACT
