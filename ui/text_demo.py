"""The words of the demo panel (`lxt-kiosk --demo` only), marked for Qt's translation tools (context "ui")."""

from __future__ import annotations

from ui.text import QT_TRANSLATE_NOOP

TITLE = QT_TRANSLATE_NOOP("ui", "演示面板")
BODY = QT_TRANSLATE_NOOP("ui", "只在演示时有：替村民放身份证，在摄像头前举二维码。")
STARTING = QT_TRANSLATE_NOOP("ui", "终端正在准备……")
CARDS = QT_TRANSLATE_NOOP("ui", "身份证")
PLACE = QT_TRANSLATE_NOOP("ui", "放上{name}的卡")
REMOVE = QT_TRANSLATE_NOOP("ui", "拿走身份证")
ON_READER = QT_TRANSLATE_NOOP("ui", "读卡器上：{name}的卡")
NOTHING_ON_READER = QT_TRANSLATE_NOOP("ui", "读卡器上没有卡")
QR = QT_TRANSLATE_NOOP("ui", "二维码")
QR_HINT = QT_TRANSLATE_NOOP("ui", "要出示的文字，例如县里发的维护二维码")
SHOW_TEXT = QT_TRANSLATE_NOOP("ui", "出示这段文字")
EXAMPLE_WORDS = QT_TRANSLATE_NOOP("ui", "示例：一句话")
EXAMPLE_URL = QT_TRANSLATE_NOOP("ui", "示例：网址")
EXAMPLE_LONG = QT_TRANSLATE_NOOP("ui", "示例：很长的码")
PUT_AWAY = QT_TRANSLATE_NOOP("ui", "收起二维码")
SHOWING = QT_TRANSLATE_NOOP("ui", "摄像头前：二维码（{size}字节）")
SCENE = QT_TRANSLATE_NOOP("ui", "摄像头前：平常的画面")
NO_CAMERA = QT_TRANSLATE_NOOP("ui", "摄像头还没准备好，请稍后再点")
TOO_LONG = QT_TRANSLATE_NOOP("ui", "这段文字太长，放不进一个二维码")
EMPTY = QT_TRANSLATE_NOOP("ui", "请先输入文字")
COUNTY = QT_TRANSLATE_NOOP("ui", "县里的示例")
REQUEST = QT_TRANSLATE_NOOP("ui", "交通局的出示请求")
TECH_PASS = QT_TRANSLATE_NOOP("ui", "技术员通行证")
EXAM = QT_TRANSLATE_NOOP("ui", "给{name}的体检报告（{hospital}）")
EXAM_NONE = QT_TRANSLATE_NOOP("ui", "体检报告（{hospital}）")
NOT_READY = QT_TRANSLATE_NOOP("ui", "县里的示例还没备好，请稍后再点")
NO_EXAM = QT_TRANSLATE_NOOP("ui", "先办好数字身份，上链后县里的医院才给您发体检报告")
COUNTY_HINT = QT_TRANSLATE_NOOP(
    "ui", "体检报告在“我的证明”里扫码导入；交通局只认三甲医院的。通行证在连点五下联网状态后出示。"
)
