"""The words of 我的证明, 出示证明 and 互证, marked for Qt's translation tools (context "ui", as in ui/text.py).

The relation and statement choices of 互证 are also the claim values the credential carries: their Chinese
source is what is signed, whatever language the screen shows.
"""

from __future__ import annotations

from ui.text import QT_TRANSLATE_NOOP

# --- 我的证明 -----------------------------------------------------------------------------------------
WALLET_TITLE = QT_TRANSLATE_NOOP("ui", "我的证明")
WALLET_BODY = QT_TRANSLATE_NOOP("ui", "点一张证明看详细内容")
WALLET_EMPTY = QT_TRANSLATE_NOOP("ui", "您还没有证明。医院、银行开的证明上有二维码，可以扫进来")
WALLET_LOADING = QT_TRANSLATE_NOOP("ui", "正在读取您的证明……")
WALLET_PAGE = QT_TRANSLATE_NOOP("ui", "第{n}页，共{total}页")
PREV_PAGE = QT_TRANSLATE_NOOP("ui", "上一页")
NEXT_PAGE = QT_TRANSLATE_NOOP("ui", "下一页")
SCAN_PROOF = QT_TRANSLATE_NOOP("ui", "扫描证明二维码")
CARD_LINE = QT_TRANSLATE_NOOP("ui", "{issuer} · {date}")
ISSUED_ON = QT_TRANSLATE_NOOP("ui", "开具日期：{date}")
EXPIRES_ON = QT_TRANSLATE_NOOP("ui", "有效期到：{date}")
ISSUER_IS = QT_TRANSLATE_NOOP("ui", "开具单位：{issuer}")
CHECKED_ON = QT_TRANSLATE_NOOP("ui", "状态核对于{date}")
NEVER_CHECKED = QT_TRANSLATE_NOOP("ui", "状态还没有核对过，联网后自动更新")
STATUS_IS = QT_TRANSLATE_NOOP("ui", "状态：{word}")
STATUS = {
    "valid": QT_TRANSLATE_NOOP("ui", "有效"),
    "expired": QT_TRANSLATE_NOOP("ui", "已过期"),
    "revoked": QT_TRANSLATE_NOOP("ui", "已撤销"),
    "suspended": QT_TRANSLATE_NOOP("ui", "暂停使用"),
    "unknown": QT_TRANSLATE_NOOP("ui", "状态待更新"),
}
DETAIL_BODY = QT_TRANSLATE_NOOP("ui", "这张证明写着：")
BACK_TO_LIST = QT_TRANSLATE_NOOP("ui", "回到我的证明")

# --- import by QR -----------------------------------------------------------------------------------
IMPORT_TITLE = QT_TRANSLATE_NOOP("ui", "请把证明上的二维码对准摄像头")
IMPORT_BODY = QT_TRANSLATE_NOOP("ui", "拿稳，离摄像头一拃远")
LOOKING = QT_TRANSLATE_NOOP("ui", "正在找二维码……")
CHECKING = QT_TRANSLATE_NOOP("ui", "正在核对，请稍等……")
IMPORTED_TITLE = QT_TRANSLATE_NOOP("ui", "已保存到“我的证明”")
IMPORT_REFUSED_TITLE = QT_TRANSLATE_NOOP("ui", "这张证明没有保存")
SCAN_AGAIN = QT_TRANSLATE_NOOP("ui", "再扫一次")

# --- 出示证明 -----------------------------------------------------------------------------------------
SHARE_SCAN_TITLE = QT_TRANSLATE_NOOP("ui", "请把对方的二维码对准摄像头")
SHARE_SCAN_BODY = QT_TRANSLATE_NOOP("ui", "对方是要看您证明的单位，比如交通局")
SHARE_ASKS = QT_TRANSLATE_NOOP("ui", "{verifier} 要看：{claims}")
SHARE_PURPOSE = QT_TRANSLATE_NOOP("ui", "用途：{purpose}。请选一张证明")
SHARE_PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入6位数字密码，同意出示")
SHARE_SEES = QT_TRANSLATE_NOOP("ui", "{verifier}将看到：{claims}")
SHARE_FROM = QT_TRANSLATE_NOOP("ui", "出自：{issuer}的{kind}。别的内容不给看")
SHARE_DONE_TITLE = QT_TRANSLATE_NOOP("ui", "请让对方扫这个二维码")
SHARE_DONE_BODY = QT_TRANSLATE_NOOP("ui", "您同意出示的记录已保存，联网后自动上报县里")
SHARE_REFUSED_TITLE = QT_TRANSLATE_NOOP("ui", "这次不能出示")
SHARE_NONE_NEXT = QT_TRANSLATE_NOOP("ui", "请先到出具单位开证明，把二维码扫进“我的证明”")
SHARE_AGAIN_NEXT = QT_TRANSLATE_NOOP("ui", "可以请对方重新出码，再扫一次")
DONE = QT_TRANSLATE_NOOP("ui", "办好了")
SHARE_INBOX_HEAD = QT_TRANSLATE_NOOP("ui", "或者点县里转来的请求：")
SHARE_INBOX_ASK = QT_TRANSLATE_NOOP("ui", "{verifier} 请你出示{kind}：{purpose}")
SHARE_SENT_TITLE = QT_TRANSLATE_NOOP("ui", "已发送，联网后自动送到")
SHARE_DELIVERED_TITLE = QT_TRANSLATE_NOOP("ui", "已送到")
SHARE_SENT_BODY = QT_TRANSLATE_NOOP("ui", "经县里转交，只有对方能打开。您同意出示的记录已保存")

# --- 互证 -------------------------------------------------------------------------------------------
ATTEST_ENTRY = QT_TRANSLATE_NOOP("ui", "为别人作证")
ATTEST_CARD_TITLE = QT_TRANSLATE_NOOP("ui", "请对方把身份证放在感应区")
ATTEST_CARD_BODY = QT_TRANSLATE_NOOP("ui", "您要为他（她）作证。对方也要在本机办过数字身份")
ATTEST_RELATION_TITLE = QT_TRANSLATE_NOOP("ui", "您和对方是什么关系？")
ATTEST_STATEMENT_TITLE = QT_TRANSLATE_NOOP("ui", "您要证明什么？")
ATTEST_CHOOSE_BODY = QT_TRANSLATE_NOOP("ui", "点一项，再点下一步")
ATTEST_PIN_TITLE = QT_TRANSLATE_NOOP("ui", "请输入您的6位数字密码，签名作证")
ATTEST_PIN_BODY = QT_TRANSLATE_NOOP("ui", "您证明：{relation}，{statement}")
ATTEST_DONE_TITLE = QT_TRANSLATE_NOOP("ui", "作证已完成")
ATTEST_DONE_HERE = QT_TRANSLATE_NOOP("ui", "证明已放进对方的“我的证明”，联网后自动上报县里")
ATTEST_DONE_AWAY = QT_TRANSLATE_NOOP("ui", "已保存，联网后自动上报县里")
ATTEST_REFUSED_TITLE = QT_TRANSLATE_NOOP("ui", "这次不能作证")
NEXT = QT_TRANSLATE_NOOP("ui", "下一步")
REL_NEIGHBOUR = QT_TRANSLATE_NOOP("ui", "邻居")
REL_FAMILY = QT_TRANSLATE_NOOP("ui", "亲属")
REL_VILLAGE = QT_TRANSLATE_NOOP("ui", "同村")
REL_COOP = QT_TRANSLATE_NOOP("ui", "合作社社员")
STMT_KNOWN = QT_TRANSLATE_NOOP("ui", "我认识他（她）多年，为人可靠")
STMT_LIVES_HERE = QT_TRANSLATE_NOOP("ui", "他（她）确实住在本村")
STMT_FARMS_HERE = QT_TRANSLATE_NOOP("ui", "他（她）确实在本村种地")
