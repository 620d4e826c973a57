"""Every word the screens show, in Simplified Chinese (the source language), marked for Qt's translation tools.

`pyside6-lupdate` finds the `QT_TRANSLATE_NOOP("ui", …)` marks here and writes them to `ui/i18n/lxt_en.ts`;
screens show `tr(CONSTANT)` so the running language applies. The villager-facing error texts live in
`kiosk/messages.py` (the core raises keys); `message()` shows them through the same translator, context
"messages" (see docs/ui.md).
"""

from __future__ import annotations

from kiosk.errors import UserFacingError
from kiosk.messages import MESSAGES

CONTEXT = "ui"
MESSAGES_CONTEXT = "messages"
CONSENT_CONTEXT = "consent"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 — the name lupdate looks for
    """Marks `source` for lupdate and returns it unchanged; the module stays importable without Qt."""
    return source


def _translate(context: str, source: str) -> str:
    # Imported here so that view-models can use the constants above without pulling Qt in.
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, source)


def tr(source: str) -> str:
    return _translate(CONTEXT, source)


def message(error: UserFacingError) -> str:
    """The villager's text for a core error, in the running language, params filled in."""
    zh, _en = MESSAGES[error.message_key]
    template = _translate(MESSAGES_CONTEXT, zh)
    return template.format(**error.params) if error.params else template


def consent(text: str) -> str:
    """A consent text from `kiosk.domain.consent`, in the running language (context "consent")."""
    return _translate(CONSENT_CONTEXT, text)


# --- the frame -------------------------------------------------------------------------------------
APP_TITLE = QT_TRANSLATE_NOOP("ui", "链信通")
COUNTY = QT_TRANSLATE_NOOP("ui", "兰考县")
STEP_OF = QT_TRANSLATE_NOOP("ui", "第{n}步，共{total}步")
ONLINE = QT_TRANSLATE_NOOP("ui", "在线")
OFFLINE = QT_TRANSLATE_NOOP("ui", "离线，稍后自动同步")
PENDING = QT_TRANSLATE_NOOP("ui", "{n}件待上报")
NOTHING_PENDING = QT_TRANSLATE_NOOP("ui", "都已上报")
BACK = QT_TRANSLATE_NOOP("ui", "返回")
REPLAY = QT_TRANSLATE_NOOP("ui", "再听一遍")
HOME = QT_TRANSLATE_NOOP("ui", "回首页")
HELP = QT_TRANSLATE_NOOP("ui", "求助")
OK = QT_TRANSLATE_NOOP("ui", "确定")
WORKING = QT_TRANSLATE_NOOP("ui", "请稍等……")
# A tile tapped in the moment after the kiosk switched on, while its records are still being opened.
STARTING_TITLE = QT_TRANSLATE_NOOP("ui", "正在准备，请稍等")
STARTING_BODY = QT_TRANSLATE_NOOP("ui", "机器刚开机，马上就好。")
TRY_AGAIN = QT_TRANSLATE_NOOP("ui", "再试一次")

# --- home --------------------------------------------------------------------------------------------
HOME_TITLE = QT_TRANSLATE_NOOP("ui", "您好，请选择要办的事")
TILE_ENROL = QT_TRANSLATE_NOOP("ui", "办理数字身份")
TILE_PROOFS = QT_TRANSLATE_NOOP("ui", "我的证明")
TILE_SHOW = QT_TRANSLATE_NOOP("ui", "出示证明")
TILE_LOANS = QT_TRANSLATE_NOOP("ui", "贷款")
TILE_SERVICES = QT_TRANSLATE_NOOP("ui", "政务服务")
TILE_PROGRESS = QT_TRANSLATE_NOOP("ui", "进度查询")
STATE_LINE = QT_TRANSLATE_NOOP("ui", "{link} · {pending}")

# --- help, ask, idle -----------------------------------------------------------------------------------
HELP_TITLE = QT_TRANSLATE_NOOP("ui", "需要帮忙吗？")
HELP_BODY = QT_TRANSLATE_NOOP(
    "ui", "照着屏幕上的大字做，点右下角的蓝色按钮继续。\n不会操作请找村干部，村委会就在旁边。"
)
HELP_CLOSE = QT_TRANSLATE_NOOP("ui", "知道了")
ASK_ABANDON = QT_TRANSLATE_NOOP("ui", "要放弃这次办理吗？")
ASK_ABANDON_BODY = QT_TRANSLATE_NOOP("ui", "放弃后，这次填的内容不会保存")
ABANDON = QT_TRANSLATE_NOOP("ui", "放弃")
KEEP_GOING = QT_TRANSLATE_NOOP("ui", "继续办理")
IDLE_TITLE = QT_TRANSLATE_NOOP("ui", "还在吗？")
IDLE_BODY = QT_TRANSLATE_NOOP("ui", "{n}秒后回到首页，您的信息会清除")
IDLE_CONTINUE = QT_TRANSLATE_NOOP("ui", "继续")

# --- enrolment -------------------------------------------------------------------------------------------
ENROL_CARD_TITLE = QT_TRANSLATE_NOOP("ui", "请把身份证放在感应区")
ENROL_CARD_BODY = QT_TRANSLATE_NOOP("ui", "感应区在屏幕下方，放平不要动")
ENROL_CONFIRM_TITLE = QT_TRANSLATE_NOOP("ui", "请确认是您本人")
ENROL_CONFIRM_BODY = QT_TRANSLATE_NOOP("ui", "身份证号只显示头尾几位")
ENROL_CONFIRM_NAME = QT_TRANSLATE_NOOP("ui", "姓名：{name}")
ENROL_CONFIRM_ID = QT_TRANSLATE_NOOP("ui", "身份证：{id}")
ENROL_NOT_ME = QT_TRANSLATE_NOOP("ui", "不是我")
ENROL_IS_ME = QT_TRANSLATE_NOOP("ui", "是我")
ENROL_CONSENT_TITLE = QT_TRANSLATE_NOOP("ui", "请听一听，同意后继续")
AGREE = QT_TRANSLATE_NOOP("ui", "同意")
DISAGREE = QT_TRANSLATE_NOOP("ui", "不同意")
ENROL_FACE_TITLE = QT_TRANSLATE_NOOP("ui", "请看摄像头")
ENROL_FACE_BODY = QT_TRANSLATE_NOOP("ui", "把脸放进框里，保持不动")
ENROL_FACE_START = QT_TRANSLATE_NOOP("ui", "开始拍照")
# Cadre mode only: the cadre looks at the person and the card instead of the camera (UI.md: never stuck).
ENROL_FACE_CADRE_CHECK = QT_TRANSLATE_NOOP("ui", "村干部核对本人")
ENROL_FACE_WAIT = QT_TRANSLATE_NOOP("ui", "摄像头准备中，请稍等")
FACE_NO_FACE = QT_TRANSLATE_NOOP("ui", "请看摄像头")
FACE_MOVE_CLOSER = QT_TRANSLATE_NOOP("ui", "靠近一点")
FACE_MOVE_BACK = QT_TRANSLATE_NOOP("ui", "离远一点")
FACE_CENTRE = QT_TRANSLATE_NOOP("ui", "把脸放进框里")
FACE_HOLD_STILL = QT_TRANSLATE_NOOP("ui", "别动")
FACE_BLINK = QT_TRANSLATE_NOOP("ui", "眨眨眼")
FACE_TURN_HEAD = QT_TRANSLATE_NOOP("ui", "向左转头，再转回来")
FACE_TOO_DARK = QT_TRANSLATE_NOOP("ui", "光线太暗，请找村干部开灯")
FACE_OK = QT_TRANSLATE_NOOP("ui", "拍好了")
ENROL_PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入6位数字密码")
ENROL_PIN_BODY = QT_TRANSLATE_NOOP("ui", "不要用生日，也不要用一样的数字。别人看不到您按了什么")
ENROL_PIN_AGAIN_TITLE = QT_TRANSLATE_NOOP("ui", "请再输入一遍")
ENROL_PIN_AGAIN_BODY = QT_TRANSLATE_NOOP("ui", "和刚才输入的一样")
PIN_ENTERED = QT_TRANSLATE_NOOP("ui", "已输入{n}位")
KEY_DELETE = QT_TRANSLATE_NOOP("ui", "删除")
KEY_CLEAR = QT_TRANSLATE_NOOP("ui", "清空")
ENROL_SAVING = QT_TRANSLATE_NOOP("ui", "正在保存，请稍等")
ENROL_DONE_TITLE = QT_TRANSLATE_NOOP("ui", "办好了！这是您的数字身份")
ENROL_DONE_PENDING = QT_TRANSLATE_NOOP("ui", "已保存，联网后自动上报县里")
ENROL_DONE_CONFIRMED = QT_TRANSLATE_NOOP("ui", "县里已确认")
ENROL_DONE_REJECTED = QT_TRANSLATE_NOOP("ui", "县里没有通过，请找村干部")
ENROL_STATE_PENDING = QT_TRANSLATE_NOOP("ui", "待上链")
ENROL_STATE_COMMITTED = QT_TRANSLATE_NOOP("ui", "已上链")
ENROL_STATE_REJECTED = QT_TRANSLATE_NOOP("ui", "被退回")
FINISH = QT_TRANSLATE_NOOP("ui", "完成")
FAILED_TITLE = QT_TRANSLATE_NOOP("ui", "这次没有办成")
CANCELLED_TITLE = QT_TRANSLATE_NOOP("ui", "已取消，什么都没有保存")

# --- sign-in -------------------------------------------------------------------------------------------------
SIGNIN_CARD_TITLE = QT_TRANSLATE_NOOP("ui", "请把身份证放在感应区")
SIGNIN_CARD_BODY = QT_TRANSLATE_NOOP("ui", "先认一认您是谁")
SIGNIN_PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入6位数字密码")
SIGNIN_PIN_BODY = QT_TRANSLATE_NOOP("ui", "{name}，请输入办理时设的密码")
SIGNIN_NOT_ENROLLED_TITLE = QT_TRANSLATE_NOOP("ui", "您还没有办理数字身份")
SIGNIN_NOT_ENROLLED_BODY = QT_TRANSLATE_NOOP("ui", "先办理数字身份，再来办这件事")
SIGNIN_GO_ENROL = QT_TRANSLATE_NOOP("ui", "去办理")
LOCKED_TITLE = QT_TRANSLATE_NOOP("ui", "密码已锁定")
LOCKED_BODY = QT_TRANSLATE_NOOP("ui", "密码错了太多次。请带上身份证找村干部，核对本人后重新设密码")
WELCOME_TITLE = QT_TRANSLATE_NOOP("ui", "{name}，您好")
WELCOME_PENDING = QT_TRANSLATE_NOOP("ui", "您有{n}件事正在上报县里")
WELCOME_NOTHING = QT_TRANSLATE_NOOP("ui", "您办的事都已上报县里")
SIGN_OUT = QT_TRANSLATE_NOOP("ui", "退出")

# --- not open, lock, fault ----------------------------------------------------------------------------------
NOT_OPEN_TITLE = QT_TRANSLATE_NOOP("ui", "这台机器还不能办“{service}”")
NOT_OPEN_BODY = QT_TRANSLATE_NOOP("ui", "开通后会通知大家。现在要办，请找村干部，或到乡便民服务中心")
LOCK_TITLE = QT_TRANSLATE_NOOP("ui", "本机暂停使用")
LOCK_BODY = QT_TRANSLATE_NOOP("ui", "县里正在维护这台机器。急事请找村干部")
FAULT_TITLE = QT_TRANSLATE_NOOP("ui", "机器出了点问题")
FAULT_BODY = QT_TRANSLATE_NOOP("ui", "没有保存的内容已清除。请回首页重新开始，还不行请找村干部")

# --- cadre mode ------------------------------------------------------------------------------------------------
CADRE_BANNER = QT_TRANSLATE_NOOP("ui", "村干部协助模式 · {name}")
CADRE_CARD_TITLE = QT_TRANSLATE_NOOP("ui", "村干部请放身份证")
CADRE_CARD_BODY = QT_TRANSLATE_NOOP("ui", "只有县里名单上的村干部能进入")
CADRE_PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入您的6位密码")
CADRE_PIN_BODY = QT_TRANSLATE_NOOP("ui", "{name}，输入您自己的密码")
CADRE_REFUSED_TITLE = QT_TRANSLATE_NOOP("ui", "不能进入村干部模式")
CADRE_HOME_TITLE = QT_TRANSLATE_NOOP("ui", "村干部协助模式")
CADRE_HOME_BODY = QT_TRANSLATE_NOOP("ui", "请选择要办的事。办完请点“退出”")
CADRE_ASSIST = QT_TRANSLATE_NOOP("ui", "协助办理")
CADRE_PROXY = QT_TRANSLATE_NOOP("ui", "代为操作")
CADRE_QUEUE = QT_TRANSLATE_NOOP("ui", "待上报")
CADRE_TODAY = QT_TRANSLATE_NOOP("ui", "今日记录")
CADRE_WITNESS_TITLE = QT_TRANSLATE_NOOP("ui", "请村干部输入密码作证")
CADRE_WITNESS_BODY = QT_TRANSLATE_NOOP("ui", "村民的密码已设好。{name}，核对本人后输入您的密码")
CADRE_WITNESS_PROXY_BODY = QT_TRANSLATE_NOOP("ui", "代为操作，会记录是您帮办的。{name}，请输入您的密码")
CADRE_QUEUE_TITLE = QT_TRANSLATE_NOOP("ui", "上报县里的情况")
CADRE_QUEUE_COUNTS = QT_TRANSLATE_NOOP("ui", "待上报{pending}件 · 已上报{sent}件 · 被退回{rejected}件")
CADRE_QUEUE_EMPTY = QT_TRANSLATE_NOOP("ui", "本机还没有办过事")
CADRE_QUEUE_ITEM = QT_TRANSLATE_NOOP("ui", "{when} · {what} · {state}")
CADRE_QUEUE_REASON = QT_TRANSLATE_NOOP("ui", "⚠ 县里的原因：{reason}")
CADRE_QUEUE_RESEND = QT_TRANSLATE_NOOP("ui", "重新上报")
CADRE_QUEUE_RESENT = QT_TRANSLATE_NOOP("ui", "已重新排队，联网后自动上报")
CADRE_QUEUE_FAILED = QT_TRANSLATE_NOOP("ui", "现在读不出来，请稍后再看")
STATE_PENDING = QT_TRANSLATE_NOOP("ui", "待上报")
STATE_SENT = QT_TRANSLATE_NOOP("ui", "已上报")
STATE_REJECTED = QT_TRANSLATE_NOOP("ui", "被退回")
TX_ENROL = QT_TRANSLATE_NOOP("ui", "办理数字身份")
TX_ROTATE = QT_TRANSLATE_NOOP("ui", "重新设密码")
TX_OTHER = QT_TRANSLATE_NOOP("ui", "其他事项")
MODE_SELF = QT_TRANSLATE_NOOP("ui", "本人办")
MODE_ASSISTED = QT_TRANSLATE_NOOP("ui", "协助办")
MODE_PROXY = QT_TRANSLATE_NOOP("ui", "代办")
WHAT_WITH_MODE = QT_TRANSLATE_NOOP("ui", "{what}（{mode}）")
WHEN = QT_TRANSLATE_NOOP("ui", "{month}月{day}日 {hour:02d}:{minute:02d}")
REASON_UNKNOWN_KIOSK = QT_TRANSLATE_NOOP("ui", "县里没有这台机器的登记，登记好后可重新上报")
REASON_BAD_SIGNATURE = QT_TRANSLATE_NOOP("ui", "签名核对不上，请联系县里")
REASON_INVALID = QT_TRANSLATE_NOOP("ui", "内容不合规定，请联系县里")
REASON_OTHER = QT_TRANSLATE_NOOP("ui", "请联系县里")
CADRE_TODAY_TITLE = QT_TRANSLATE_NOOP("ui", "今天本机办的事")
CADRE_TODAY_COUNTS = QT_TRANSLATE_NOOP("ui", "今天办理{total}人：本人办{own}，协助办{assisted}，代办{proxy}")
CADRE_TODAY_EMPTY = QT_TRANSLATE_NOOP("ui", "今天还没有记录")
CADRE_TODAY_MORE = QT_TRANSLATE_NOOP("ui", "还有{n}条更早的记录")
ACT_ENROLLED = QT_TRANSLATE_NOOP("ui", "办理了数字身份")
ACT_RECOVERED = QT_TRANSLATE_NOOP("ui", "重新设了密码")
ACT_KEY_LOCKED = QT_TRANSLATE_NOOP("ui", "有人密码输错太多次，已锁定")
ACT_CADRE_ENTERED = QT_TRANSLATE_NOOP("ui", "村干部进入协助模式")
ACT_CADRE_REFUSED = QT_TRANSLATE_NOOP("ui", "有人试图进入村干部模式，未通过")
ACT_RESENT = QT_TRANSLATE_NOOP("ui", "村干部重新上报了一件事")
ACT_COUNTY = QT_TRANSLATE_NOOP("ui", "县里维护了这台机器")
ACT_LINE = QT_TRANSLATE_NOOP("ui", "{time} · {what}")
BACK_TO_CADRE = QT_TRANSLATE_NOOP("ui", "返回")
