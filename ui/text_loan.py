"""The words of the loan screens (issue 6), marked for Qt's translation tools.

Kept beside `ui/text.py` (same `QT_TRANSLATE_NOOP`, context "ui"). Bank, product and material names come from
the county's catalog and are shown as they are (data); the words around them are translated here.
"""

from __future__ import annotations

from ui.text import QT_TRANSLATE_NOOP

# --- shared -----------------------------------------------------------------------------------------------
NEXT = QT_TRANSLATE_NOOP("ui", "下一步")
PREV_PAGE = QT_TRANSLATE_NOOP("ui", "上一页")
NEXT_PAGE = QT_TRANSLATE_NOOP("ui", "下一页")
PAGE_OF = QT_TRANSLATE_NOOP("ui", "第{n}页，共{total}页")
DATE = QT_TRANSLATE_NOOP("ui", "{y}年{m}月{d}日")
MONTHS = QT_TRANSLATE_NOOP("ui", "{n}个月")
YUAN = QT_TRANSLATE_NOOP("ui", "元")
LIST_SEP = QT_TRANSLATE_NOOP("ui", "、")
FAILED = QT_TRANSLATE_NOOP("ui", "没有办成，请再试一次；还不行请找村干部")
CAMERA_WAIT = QT_TRANSLATE_NOOP("ui", "摄像头还没准备好，请稍等再拍")
READ_ALOUD = QT_TRANSLATE_NOOP("ui", "读给我听")

# --- 1. products ------------------------------------------------------------------------------------------
PRODUCTS_TITLE = QT_TRANSLATE_NOOP("ui", "请选择贷款产品")
PRODUCTS_BODY = QT_TRANSLATE_NOOP("ui", "这些产品由县里统一发布，点一下看详细")
PRODUCTS_NONE = QT_TRANSLATE_NOOP("ui", "现在没有可以申请的贷款产品，请以后再来")
RANGE = QT_TRANSLATE_NOOP("ui", "可贷{low}到{high}")
FOR = QT_TRANSLATE_NOOP("ui", "用途：{purpose}")

# --- 2. details -------------------------------------------------------------------------------------------
DETAILS_TITLE = QT_TRANSLATE_NOOP("ui", "请看看这个贷款")
DETAIL_WHO = QT_TRANSLATE_NOOP("ui", "{bank}的“{name}”，用于{purpose}")
DETAIL_TERMS = QT_TRANSLATE_NOOP("ui", "能贷{low}到{high}，可以分{terms}还，年利率{rate}%")
DETAIL_SAMPLE = QT_TRANSLATE_NOOP(
    "ui", "比如借{amount}、分{months}个月还：每月约还{monthly}，一共还{total}，其中利息{interest}"
)
DETAIL_NEEDS = QT_TRANSLATE_NOOP("ui", "需要：{items}")
APPLY = QT_TRANSLATE_NOOP("ui", "申请这个贷款")

# --- 3. form ----------------------------------------------------------------------------------------------
FORM_TITLE = QT_TRANSLATE_NOOP("ui", "请填借多少、做什么用、借多久")
FORM_INFO = QT_TRANSLATE_NOOP("ui", "您的信息来自实名身份，不用填写：")
AMOUNT_EMPTY = QT_TRANSLATE_NOOP("ui", "借多少：请在右边按数字，单位是元")
AMOUNT_LINE = QT_TRANSLATE_NOOP("ui", "借多少：{amount}")
RANGE_HINT = QT_TRANSLATE_NOOP("ui", "这个产品能贷{low}到{high}")
PURPOSE_CAPTION = QT_TRANSLATE_NOOP("ui", "用途")
TERM_CAPTION = QT_TRANSLATE_NOOP("ui", "期限")
AMOUNT_MISSING = QT_TRANSLATE_NOOP("ui", "请先在右边按数字，输入借多少元")
TERM_MISSING = QT_TRANSLATE_NOOP("ui", "请选择借多久")

# --- 4. materials -----------------------------------------------------------------------------------------
MATERIALS_TITLE = QT_TRANSLATE_NOOP("ui", "请把{name}放在摄像头下")
MATERIALS_BODY = QT_TRANSLATE_NOOP("ui", "整页放进框里，拿稳不动，再按“拍照”")
MATERIAL_OF = QT_TRANSLATE_NOOP("ui", "第{n}份材料，共{total}份")
TAKE = QT_TRANSLATE_NOOP("ui", "拍照")
RETAKE = QT_TRANSLATE_NOOP("ui", "重拍")
CHECKING_PAGE = QT_TRANSLATE_NOOP("ui", "正在看照片清不清楚……")
VERDICT = {
    "ok": QT_TRANSLATE_NOOP("ui", "清楚，可以用"),
    "blurred": QT_TRANSLATE_NOOP("ui", "太模糊：请拿稳，再拍一次"),
    "not_whole": QT_TRANSLATE_NOOP("ui", "没拍全：请把整页放进框里，再拍一次"),
    "unreadable": QT_TRANSLATE_NOOP("ui", "看不清：太暗或反光，请换个角度再拍"),
}

# --- 5. review, PIN, receipt ------------------------------------------------------------------------------
REVIEW_TITLE = QT_TRANSLATE_NOOP("ui", "请核对，没问题就确认")
REVIEW_WHAT = QT_TRANSLATE_NOOP("ui", "{bank}的“{product}”：借{amount}，分{months}个月还，用于{purpose}")
SEES = QT_TRANSLATE_NOOP("ui", "{bank}将看到：{items}")
SEES_ITEM = QT_TRANSLATE_NOOP("ui", "{kind}中的{claims}")
SEES_PAGES = QT_TRANSLATE_NOOP("ui", "材料照片：{items}")
SEES_ONLY = QT_TRANSLATE_NOOP("ui", "别的信息银行看不到")
CONFIRM = QT_TRANSLATE_NOOP("ui", "确认，输入密码")
PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入6位数字密码")
PIN_BODY = QT_TRANSLATE_NOOP("ui", "输入密码，就是同意把上面的信息交给银行")
SUBMIT = QT_TRANSLATE_NOOP("ui", "提交申请")
DONE_TITLE = QT_TRANSLATE_NOOP("ui", "申请已提交")
DONE_BODY = QT_TRANSLATE_NOOP("ui", "联网后自动送到银行；银行的答复在“进度查询”里看")
NUMBER = QT_TRANSLATE_NOOP("ui", "申请编号：{number}")
SEE_MINE = QT_TRANSLATE_NOOP("ui", "看我的申请")

# --- a saved draft, and calm notices ----------------------------------------------------------------------
RESUME_TITLE = QT_TRANSLATE_NOOP("ui", "您上次的贷款申请还没办完")
RESUME_BODY = QT_TRANSLATE_NOOP("ui", "“{product}”已经办到第{n}步，要接着办吗？")
GO_ON = QT_TRANSLATE_NOOP("ui", "接着办")
START_AGAIN = QT_TRANSLATE_NOOP("ui", "不要了，重新开始")
NOTICE_BODY = QT_TRANSLATE_NOOP("ui", "没关系，可以重新选择贷款产品")
NOTICE_OK = QT_TRANSLATE_NOOP("ui", "知道了")

# --- 我的申请 -----------------------------------------------------------------------------------------------
MINE_TITLE = QT_TRANSLATE_NOOP("ui", "我的贷款申请")
MINE_BODY = QT_TRANSLATE_NOOP("ui", "点一下看进度")
MINE_NONE = QT_TRANSLATE_NOOP("ui", "您还没有贷款申请")
APP_AMOUNT = QT_TRANSLATE_NOOP("ui", "{amount}，{months}个月")
APP_STATUS = QT_TRANSLATE_NOOP("ui", "现在：{word}")
APP_TITLE = QT_TRANSLATE_NOOP("ui", "申请进度")
HISTORY_LINE = QT_TRANSLATE_NOOP("ui", "{date}：{words}")
WITH_AMOUNT = QT_TRANSLATE_NOOP("ui", "{word}，{amount}")
WITH_ITEMS = QT_TRANSLATE_NOOP("ui", "{word}：{items}")
WITH_REASON = QT_TRANSLATE_NOOP("ui", "{word}（{reason}）")
WITHDRAW = QT_TRANSLATE_NOOP("ui", "撤回申请")
WITHDRAW_TITLE = QT_TRANSLATE_NOOP("ui", "要撤回这笔申请吗？")
WITHDRAW_BODY = QT_TRANSLATE_NOOP("ui", "撤回后银行不再审核。确定撤回，请输入6位数字密码")
WITHDRAWN_NOTE = QT_TRANSLATE_NOOP("ui", "已撤回，联网后自动告诉银行")
STATUS = {
    "submitted": QT_TRANSLATE_NOOP("ui", "已提交，等银行接收"),
    "received": QT_TRANSLATE_NOOP("ui", "银行已收到"),
    "under_review": QT_TRANSLATE_NOOP("ui", "银行审核中"),
    "more_materials": QT_TRANSLATE_NOOP("ui", "需要补充材料"),
    "approved": QT_TRANSLATE_NOOP("ui", "已批准"),
    "rejected": QT_TRANSLATE_NOOP("ui", "没有通过"),
    "disbursed": QT_TRANSLATE_NOOP("ui", "已放款"),
    "withdrawn": QT_TRANSLATE_NOOP("ui", "已撤回"),
}
