"""Every message a villager can be shown, by key: Simplified Chinese first, English second.

The core raises `UserFacingError(key, **params)`; the UI looks the key up here (through Qt's translation
tools once the screens exist), shows it and speaks it. Texts are short, verb first, and say what to do
next. A test checks that every key the core raises has its text here.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.errors import UserFacingError

MESSAGES: Mapping[str, tuple[str, str]] = {
    # ID card
    "card.none": ("没有读到身份证，请把身份证平放在感应区", "No ID card was read. Lay the card flat on the reader."),
    "card.none.final": ("还是没有读到身份证，请找村干部帮忙", "Still no ID card. Please ask the village cadre."),
    "card.removed": ("身份证拿开了，请重新放好，不要移动", "The card was moved. Put it back and keep it still."),
    "card.removed.final": ("身份证读不完整，请找村干部帮忙", "The card could not be read. Please ask the cadre."),
    "card.unreadable": ("这张身份证读不出来，请重新放一次", "This card could not be read. Please place it again."),
    "card.unreadable.final": ("这张身份证读不出来，请找村干部帮忙", "This card cannot be read. Please ask the cadre."),
    "card.reader_failed": ("读卡器出了问题，请再试一次", "The card reader had a problem. Please try again."),
    "card.reader_failed.final": ("读卡器出了问题，请找村干部帮忙", "The card reader is not working. Ask the cadre."),
    "card.not_id_card": ("请用居民身份证办理", "Please use your resident ID card."),
    "card.invalid": ("这张身份证的信息对不上，请找村干部核对", "This card's details do not check out. Ask the cadre."),
    "card.expired": ("身份证已过期，请先去换新证", "This ID card has expired. Please renew it first."),
    "card.not_yet_valid": ("这张身份证还没到有效期", "This ID card is not valid yet."),
    # enrolment
    "enrol.too_young": ("年满{min_age}岁才能办理", "You must be {min_age} or older to enrol."),
    "enrol.already_enrolled": (
        "您已经办理过数字身份。忘记密码请找村干部帮忙",
        "You already have a digital identity. If you forgot your PIN, ask the cadre.",
    ),
    "enrol.timeout": ("时间到了，这次没有保存，请重新开始", "Time is up. Nothing was saved; please start again."),
    # face
    "face.not_found": ("没有看清您的脸，请正对摄像头", "Your face was not seen. Please face the camera."),
    "face.not_found.final": ("摄像头看不清，请找村干部帮忙", "The camera cannot see you. Please ask the cadre."),
    "face.not_live": (
        "请本人正对摄像头，眨眨眼，再向左转头",
        "Please face the camera yourself, blink, then turn your head to the left.",
    ),
    "face.not_live.final": ("没有通过检查，请找村干部帮忙", "The check did not pass. Please ask the cadre."),
    "face.no_match": ("照片和本人对不上，请再试一次", "The photo and your face do not match. Try again."),
    "face.no_match.final": ("照片和本人对不上，请找村干部帮忙", "The photo and your face do not match. Ask the cadre."),
    # sign-in
    "signin.not_enrolled": (
        "您还没有办理数字身份，请先办理",
        "You have no digital identity yet. Please enrol first.",
    ),
    # PIN
    "pin.rule.six_digits": ("请输入6位数字", "Please enter 6 digits."),
    "pin.rule.too_simple": ("密码太简单，别人容易猜到，请换一个", "That PIN is too easy to guess. Choose another."),
    "pin.rule.birth_date": ("不要用生日做密码，请换一个", "Do not use your birthday. Choose another PIN."),
    "pin.rule.id_number": ("不要用身份证号做密码，请换一个", "Do not use your ID number. Choose another PIN."),
    "pin.mismatch": ("两次输入的不一样，请重新设置", "The two PINs differ. Please set it again."),
    "pin.mismatch.final": ("两次输入总不一样，这次没有保存", "The PINs kept differing. Nothing was saved."),
    "pin.wrong": ("密码不对，还可以试{remaining}次", "Wrong PIN. {remaining} tries left."),
    "pin.locked": (
        "密码错误次数太多，已锁定。请带身份证找村干部解锁",
        "Too many wrong PINs: locked. Bring your ID card to the cadre to unlock.",
    ),
    # the machine
    "store.full": ("本机存储已满，这次没有保存。请联系村干部", "This kiosk's storage is full. Nothing was saved."),
    "store.failed": ("本机出了问题，这次没有保存。请联系村干部", "This kiosk had a problem. Nothing was saved."),
}


def text(error: UserFacingError, lang: str = "zh") -> str:
    """The message for an error, with its params filled in. Unknown keys are a bug: KeyError."""
    zh, en = MESSAGES[error.message_key]
    template = zh if lang == "zh" else en
    return template.format(**error.params) if error.params else template
