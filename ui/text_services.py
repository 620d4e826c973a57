"""The words of the government services, pension check and credit profile screens (issue 6), marked for Qt.

Kept beside `ui/text.py` (same `QT_TRANSLATE_NOOP`, context "ui"), the way `ui/text_diag.py` is. What comes
from the county's catalog (service names, field labels, choices) is data and is shown as it came.
"""

from __future__ import annotations

from ui.text import QT_TRANSLATE_NOOP

# --- the services list -----------------------------------------------------------------------------------
LIST_TITLE = QT_TRANSLATE_NOOP("ui", "请选择要办的事")
LIST_BODY = QT_TRANSLATE_NOOP("ui", "不用跑腿，在这里申请，结果会送回本机")
LIST_LOADING = QT_TRANSLATE_NOOP("ui", "正在读取办事目录……")
PAGE_NEXT = QT_TRANSLATE_NOOP("ui", "下一页")
PAGE_PREV = QT_TRANSLATE_NOOP("ui", "上一页")
PAGE_OF = QT_TRANSLATE_NOOP("ui", "第{n}页，共{total}页")
MINE = QT_TRANSLATE_NOOP("ui", "我的办事")

# --- the form ------------------------------------------------------------------------------------------
FORM_TITLE = QT_TRANSLATE_NOOP("ui", "这些已经替您填好了")
FORM_BODY = QT_TRANSLATE_NOOP("ui", "来自您的{source}证明，不用再填。请看一眼，对了就点下一步")
FORM_NOTHING = QT_TRANSLATE_NOOP("ui", "这项办理不需要预先填好的内容")
NEXT = QT_TRANSLATE_NOOP("ui", "下一步")
FIELD_OF = QT_TRANSLATE_NOOP("ui", "第{n}项，共{total}项")
FIELD_REQUIRED = QT_TRANSLATE_NOOP("ui", "必须填写，办理部门要用它来审核")
FIELD_OPTIONAL = QT_TRANSLATE_NOOP("ui", "可以不填，不填就直接点下一步")
FIELD_CHOOSE = QT_TRANSLATE_NOOP("ui", "请点一个选项")
FIELD_RANGE = QT_TRANSLATE_NOOP("ui", "请填{range}")
FIELD_LENGTH = QT_TRANSLATE_NOOP("ui", "请输入{low}到{high}位")
FIELD_CHOSEN = QT_TRANSLATE_NOOP("ui", "已选：{value}")
FIELD_TYPED = QT_TRANSLATE_NOOP("ui", "已输入：{value}")
FIELD_EMPTY = QT_TRANSLATE_NOOP("ui", "还没有填")
YES = QT_TRANSLATE_NOOP("ui", "是")
NO = QT_TRANSLATE_NOOP("ui", "否")
MORE_CHOICES = QT_TRANSLATE_NOOP("ui", "更多选项")

# --- materials -----------------------------------------------------------------------------------------
MATERIALS_TITLE = QT_TRANSLATE_NOOP("ui", "请拍：{name}")
MATERIALS_BODY = QT_TRANSLATE_NOOP("ui", "把材料平放在摄像头下，整页放进框里，别动")
MATERIALS_OF = QT_TRANSLATE_NOOP("ui", "第{n}份材料，共{total}份")
SHOOT = QT_TRANSLATE_NOOP("ui", "拍照")
RETAKE = QT_TRANSLATE_NOOP("ui", "重拍")
CHECKING_PAGE = QT_TRANSLATE_NOOP("ui", "正在看照片清不清楚……")
PAGE_HINTS = {
    "ok": QT_TRANSLATE_NOOP("ui", "拍好了，很清楚"),
    "blurred": QT_TRANSLATE_NOOP("ui", "照片模糊了：请拿稳，再拍一次"),
    "not_whole": QT_TRANSLATE_NOOP("ui", "没拍全：请把整页放进框里，再拍一次"),
    "unreadable": QT_TRANSLATE_NOOP("ui", "看不清字：太暗或反光，请换个角度再拍"),
}

# --- review, PIN, receipt ------------------------------------------------------------------------------
REVIEW_TITLE = QT_TRANSLATE_NOOP("ui", "请确认办理部门将看到的内容")
REVIEW_PIN = QT_TRANSLATE_NOOP("ui", "没问题，输入密码")
PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入6位数字密码")
PIN_BODY = QT_TRANSLATE_NOOP("ui", "输入密码就是同意把上面的内容交给{office}")
SENDING = QT_TRANSLATE_NOOP("ui", "正在提交……")
DONE_TITLE = QT_TRANSLATE_NOOP("ui", "已提交，联网后自动送到县里")
DONE_NUMBER = QT_TRANSLATE_NOOP("ui", "办理编号：{number}")
DONE_BODY = QT_TRANSLATE_NOOP("ui", "{office}办好后会通知您，可以在“我的办事”里查看")
DONE_MINE = QT_TRANSLATE_NOOP("ui", "看我的办事")

# --- status and history --------------------------------------------------------------------------------
MINE_TITLE = QT_TRANSLATE_NOOP("ui", "我的办事")
MINE_EMPTY = QT_TRANSLATE_NOOP("ui", "您还没有在这里办过事")
MINE_BODY = QT_TRANSLATE_NOOP("ui", "点一件看办理进度")
REQUEST_TITLE = QT_TRANSLATE_NOOP("ui", "办理进度")
REQUEST_SUBMITTED = QT_TRANSLATE_NOOP("ui", "{date}：在本机提交")
REQUEST_EVENT = QT_TRANSLATE_NOOP("ui", "{date}：{words}")
DATE = QT_TRANSLATE_NOOP("ui", "{y}年{m}月{d}日")
BACK_TO_LIST = QT_TRANSLATE_NOOP("ui", "办别的事")
STATUS = {
    "submitted": QT_TRANSLATE_NOOP("ui", "已提交，等待办理部门接收"),
    "received": QT_TRANSLATE_NOOP("ui", "办理部门已收到"),
    "more_materials": QT_TRANSLATE_NOOP("ui", "需要补充材料"),
    "approved": QT_TRANSLATE_NOOP("ui", "已批准"),
    "issued": QT_TRANSLATE_NOOP("ui", "已办结，证明已开具"),
    "rejected": QT_TRANSLATE_NOOP("ui", "未通过"),
}
OUTCOME_TITLE = QT_TRANSLATE_NOOP("ui", "这件事现在办不了")

# --- the pension check ---------------------------------------------------------------------------------
PENSION_TITLE = QT_TRANSLATE_NOOP("ui", "请看摄像头")
PENSION_BODY = QT_TRANSLATE_NOOP("ui", "把脸放进框里，按提示眨眨眼、转转头")
PENSION_WAIT = QT_TRANSLATE_NOOP("ui", "摄像头准备中，请稍等")
PENSION_START = QT_TRANSLATE_NOOP("ui", "开始认证")
PENSION_ALREADY = QT_TRANSLATE_NOOP("ui", "今年已经认证过了，再认证一次也可以")
PENSION_CADRE = QT_TRANSLATE_NOOP("ui", "请村干部认证")
PENSION_TRIES = QT_TRANSLATE_NOOP("ui", "还可以再试{n}次")
PENSION_DONE_TITLE = QT_TRANSLATE_NOOP("ui", "认证成功，明年{month}月前再来")
PENSION_DONE_BODY = QT_TRANSLATE_NOOP("ui", "已保存，联网后自动送到县社保局")
PENSION_DONE_ANSWER = QT_TRANSLATE_NOOP("ui", "县里已确认：")
PENSION_DONE_CADRE = QT_TRANSLATE_NOOP("ui", "由村干部当面认证")
PENSION_FAILED_TITLE = QT_TRANSLATE_NOOP("ui", "这次没有认证成功")
PENSION_CADRE_TITLE = QT_TRANSLATE_NOOP("ui", "请村干部当面认证")
PENSION_CADRE_BODY = QT_TRANSLATE_NOOP("ui", "村干部看过本人后，输入村干部的6位密码")
PENSION_NO_CADRE_BODY = QT_TRANSLATE_NOOP("ui", "请找村干部来：村干部从村干部入口登录后，就能在这里为您当面认证")
PENSION_CADRE_OK = QT_TRANSLATE_NOOP("ui", "确认是本人")

# --- the credit profile --------------------------------------------------------------------------------
CREDIT_ENTRY = QT_TRANSLATE_NOOP("ui", "信用额度")
CREDIT_TITLE = QT_TRANSLATE_NOOP("ui", "您的预授信额度：{amount}")
CREDIT_NONE_TITLE = QT_TRANSLATE_NOOP("ui", "暂无预授信额度")
CREDIT_MISSING_TITLE = QT_TRANSLATE_NOOP("ui", "县里还没有送来您的信用评价")
CREDIT_MISSING_BODY = QT_TRANSLATE_NOOP("ui", "县里每月评一次，送来后就能在这里看到")
CREDIT_FRESH = QT_TRANSLATE_NOOP("ui", "今天更新")
CREDIT_AGE = QT_TRANSLATE_NOOP("ui", "{n}天前更新")
CREDIT_STALE = QT_TRANSLATE_NOOP("ui", "{n}天前更新，可能已经过时，县里更新后会再发来")
CREDIT_FACTOR = QT_TRANSLATE_NOOP("ui", "{name}：{points}分（满分{cap}）")
CREDIT_WHY = QT_TRANSLATE_NOOP("ui", "为什么")
CREDIT_WHY_TITLE = QT_TRANSLATE_NOOP("ui", "额度是这样算出来的")
CREDIT_TOTAL = QT_TRANSLATE_NOOP("ui", "合计{points}分，{line}（{card}第{version}版）")
CREDIT_LINE = QT_TRANSLATE_NOOP("ui", "预授信额度{amount}")
