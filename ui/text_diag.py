"""The words of the technician's screens (maintenance entry and diagnostics), marked for Qt's translation tools.

Kept beside `ui/text.py` (same `QT_TRANSLATE_NOOP`, context "ui") so the villager's words stay in one short file.
"""

from __future__ import annotations

from ui.text import QT_TRANSLATE_NOOP

# --- the entry ------------------------------------------------------------------------------------------
ENTRY_TITLE = QT_TRANSLATE_NOOP("ui", "维护人员入口：请把维护二维码对准摄像头")
ENTRY_BODY = QT_TRANSLATE_NOOP("ui", "维护二维码由县里签发，只在有效期内、对这台机器有效")
ENTRY_LOOKING = QT_TRANSLATE_NOOP("ui", "正在找二维码……")
ENTRY_CHECKING = QT_TRANSLATE_NOOP("ui", "正在核对维护二维码")
REFUSED = {
    "malformed": QT_TRANSLATE_NOOP("ui", "这不是维护二维码"),
    "forged": QT_TRANSLATE_NOOP("ui", "维护二维码不是本县签发的，不能使用"),
    "other_county": QT_TRANSLATE_NOOP("ui", "维护二维码是别的县的，不能使用"),
    "other_kiosk": QT_TRANSLATE_NOOP("ui", "维护二维码不是给这台机器的"),
    "not_yet_valid": QT_TRANSLATE_NOOP("ui", "维护二维码还没到生效时间"),
    "expired": QT_TRANSLATE_NOOP("ui", "维护二维码已过期，请找县里重新签发"),
    "no_county_key": QT_TRANSLATE_NOOP("ui", "这台机器没有县里的公钥，无法核对维护二维码"),
}
REFUSED_UNKNOWN = QT_TRANSLATE_NOOP("ui", "维护二维码没能核对，请再试一次")

# --- the frame of the diagnostics screens ------------------------------------------------------------------
BANNER = QT_TRANSLATE_NOOP("ui", "维护模式 · {name}")
EXIT = QT_TRANSLATE_NOOP("ui", "退出维护")
BACK_TO_SUMMARY = QT_TRANSLATE_NOOP("ui", "返回总览")
RECHECK = QT_TRANSLATE_NOOP("ui", "重新检查")
CHECKING = QT_TRANSLATE_NOOP("ui", "正在检查……")
SUMMARY_TITLE = QT_TRANSLATE_NOOP("ui", "设备自检总览")
SUMMARY_ALL_OK = QT_TRANSLATE_NOOP("ui", "全部正常")
SUMMARY_SOME = QT_TRANSLATE_NOOP("ui", "{faults}项故障，{warnings}项注意")
GO_DEVICES = QT_TRANSLATE_NOOP("ui", "设备")
GO_LINK = QT_TRANSLATE_NOOP("ui", "网络和队列")
GO_SYSTEM = QT_TRANSLATE_NOOP("ui", "系统和导出")
DEVICES_TITLE = QT_TRANSLATE_NOOP("ui", "设备")
LINK_TITLE = QT_TRANSLATE_NOOP("ui", "网络和队列")
SYSTEM_TITLE = QT_TRANSLATE_NOOP("ui", "系统和导出")

# --- verdicts (an icon and a word each: never colour alone) ------------------------------------------------
LEVEL = {
    "ok": QT_TRANSLATE_NOOP("ui", "正常"),
    "warn": QT_TRANSLATE_NOOP("ui", "注意"),
    "fault": QT_TRANSLATE_NOOP("ui", "故障"),
}
CHECK = {
    "card_reader": QT_TRANSLATE_NOOP("ui", "读卡器"),
    "camera": QT_TRANSLATE_NOOP("ui", "摄像头"),
    "qr": QT_TRANSLATE_NOOP("ui", "二维码识别"),
    "speaker": QT_TRANSLATE_NOOP("ui", "语音"),
    "link": QT_TRANSLATE_NOOP("ui", "网络连接"),
    "cert": QT_TRANSLATE_NOOP("ui", "设备证书"),
    "outbox": QT_TRANSLATE_NOOP("ui", "待上报队列"),
    "disk": QT_TRANSLATE_NOOP("ui", "磁盘"),
    "database": QT_TRANSLATE_NOOP("ui", "数据库"),
    "errors": QT_TRANSLATE_NOOP("ui", "近期错误"),
}
NOT_CHECKED = QT_TRANSLATE_NOOP("ui", "还没有检查")

# --- what each check found ------------------------------------------------------------------------------
CARD_NO_CARD = QT_TRANSLATE_NOOP("ui", "读卡器在线，没有放卡")
CARD_READ = QT_TRANSLATE_NOOP("ui", "读到一张卡，用了{ms}毫秒（内容不显示）")
CARD_UNAVAILABLE = QT_TRANSLATE_NOOP("ui", "读卡器没有连接：{error}")
CARD_FAILED = QT_TRANSLATE_NOOP("ui", "读卡失败：{error}")
CARD_WAITING = QT_TRANSLATE_NOOP("ui", "15秒内没有放卡")
CAMERA_OK = QT_TRANSLATE_NOOP("ui", "{width}×{height}，每秒{fps}帧")
CAMERA_MEASURED = QT_TRANSLATE_NOOP("ui", "{seconds}秒看到{frames}帧，每秒{fps}帧")
CAMERA_NONE = QT_TRANSLATE_NOOP("ui", "摄像头没有画面")
QR_OK = QT_TRANSLATE_NOOP("ui", "自检二维码读出来了，用了{ms}毫秒")
QR_UNAVAILABLE = QT_TRANSLATE_NOOP("ui", "二维码识别库不可用：{error}")
QR_FAILED = QT_TRANSLATE_NOOP("ui", "自检二维码没有读出来")
SPEAKER_OK = QT_TRANSLATE_NOOP("ui", "语音可用，点“声音测试”听一听")
SPEAKER_QUIET = QT_TRANSLATE_NOOP("ui", "没有语音驱动，只显示文字")
SPEAKER_SAID = QT_TRANSLATE_NOOP("ui", "已播放测试语音，请确认听到了")
LINK_ONLINE = QT_TRANSLATE_NOOP("ui", "已连接{broker}，往返{rtt}毫秒")
LINK_ONLINE_NO_RTT = QT_TRANSLATE_NOOP("ui", "已连接{broker}，往返时间还没测到")
LINK_OFFLINE = QT_TRANSLATE_NOOP("ui", "没有连上县里：{error}")
LINK_STALE = QT_TRANSLATE_NOOP("ui", "同步程序没有在运行")
LINK_NEVER = QT_TRANSLATE_NOOP("ui", "同步程序还没有运行过")
CERT_VALID = QT_TRANSLATE_NOOP("ui", "有效期到{expires}，还有{days}天")
CERT_EXPIRED = QT_TRANSLATE_NOOP("ui", "已在{expires}过期")
CERT_MISSING = QT_TRANSLATE_NOOP("ui", "没有设备证书")
CERT_MISSING_NO_TLS = QT_TRANSLATE_NOOP("ui", "没有设备证书（未启用TLS）")
CERT_UNREADABLE = QT_TRANSLATE_NOOP("ui", "设备证书读不出来")
OUTBOX_LINE = QT_TRANSLATE_NOOP("ui", "{depth}件待上报，最早的等了{age}，{rejected}件被退回")
OUTBOX_EMPTY = QT_TRANSLATE_NOOP("ui", "没有待上报的，{rejected}件被退回")
DISK_LINE = QT_TRANSLATE_NOOP("ui", "数据盘剩余{free}，共{total}")
DISK_ERROR = QT_TRANSLATE_NOOP("ui", "数据盘读不出：{error}")
DATABASE_OK = QT_TRANSLATE_NOOP("ui", "数据库完好，审计日志完整")
DATABASE_BAD = QT_TRANSLATE_NOOP("ui", "数据库或审计日志有损坏：{integrity}")
ERRORS_LINE = QT_TRANSLATE_NOOP("ui", "{errors}个错误，{warnings}个警告，{refusals}次拒绝")
AGE_MINUTES = QT_TRANSLATE_NOOP("ui", "{n}分钟")
AGE_HOURS = QT_TRANSLATE_NOOP("ui", "{n}小时")
AGE_DAYS = QT_TRANSLATE_NOOP("ui", "{n}天")

# --- detail screens -----------------------------------------------------------------------------------
TEST_CARD = QT_TRANSLATE_NOOP("ui", "读卡测试")
TEST_CAMERA = QT_TRANSLATE_NOOP("ui", "测帧率")
TEST_QR = QT_TRANSLATE_NOOP("ui", "二维码自检")
TEST_SPEAKER = QT_TRANSLATE_NOOP("ui", "声音测试")
TEST_RUNNING = QT_TRANSLATE_NOOP("ui", "测试中……")
CARD_TEST_PROMPT = QT_TRANSLATE_NOOP("ui", "请放一张卡在感应区（15秒内）")
SPEAKER_TEST_WORDS = QT_TRANSLATE_NOOP("ui", "这是声音测试。听到这句话，说明喇叭是好的。")
LAST_ACK = QT_TRANSLATE_NOOP("ui", "县里上次确认：{when}")
NEVER = QT_TRANSLATE_NOOP("ui", "从来没有")
BROADCASTS = QT_TRANSLATE_NOOP("ui", "县里下发的版本：{list}")
NO_BROADCASTS = QT_TRANSLATE_NOOP("ui", "县里下发的版本：还没有收到")
VERSIONS = QT_TRANSLATE_NOOP("ui", "软件{software}，数据库结构第{schema}版")
NO_ERRORS = QT_TRANSLATE_NOOP("ui", "没有近期错误")
EXPORT = QT_TRANSLATE_NOOP("ui", "导出诊断包")
EXPORT_WHERE = QT_TRANSLATE_NOOP("ui", "导出到U盘：{folder}（不含任何个人信息）")
EXPORT_DONE = QT_TRANSLATE_NOOP("ui", "已导出：{file}")
EXPORT_FAILED = QT_TRANSLATE_NOOP("ui", "没能导出：{error}")
