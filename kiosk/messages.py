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
    # credentials (kiosk/credentials/errors.py: one key per refusal reason)
    "credential.malformed": ("这不是一张能识别的证明，请找出具单位核对", "This is not a credential we can read."),
    "credential.oversized": ("这个码内容太多，读不了", "This code holds too much to read."),
    "credential.bad_signature": (
        "证明的签名对不上，可能被改过，不能使用",
        "The signature does not match: it may be forged.",
    ),
    "credential.untrusted_issuer": (
        "出具单位不在信任名单上，不能收下",
        "The issuer is not trusted for this credential.",
    ),
    "credential.unknown_type": ("本机还不认识这种证明", "This kiosk does not know this kind of credential."),
    "credential.invalid_claims": (
        "证明的内容不完整或不对，不能收下",
        "The credential's contents are incomplete or wrong.",
    ),
    "credential.expired": (
        "证明已过期，请找出具单位重新开具",
        "The credential has expired. Ask the issuer for a new one.",
    ),
    "credential.not_yet_valid": ("证明还没到生效时间", "The credential is not valid yet."),
    "credential.revoked": ("证明已被出具单位撤销", "The issuer has revoked this credential."),
    "credential.suspended": ("证明暂停使用，请找出具单位了解", "This credential is suspended. Ask the issuer."),
    "credential.status_unknown": (
        "暂时查不到证明是否有效，请等本机联网后再试",
        "Its status cannot be checked now. Try again once the kiosk is online.",
    ),
    "credential.not_bound": ("这张证明不是开给您的", "This credential was not issued to you."),
    "credential.forged_disclosure": ("证明内容被改过，不能使用", "The credential's contents were changed: not usable."),
    "credential.wrong_nonce": ("出示的内容不是这次请求要的，请重新出示", "This is not an answer to this request."),
    "credential.wrong_audience": ("出示的内容是给别的单位的", "This was shown to someone else."),
    "credential.stale_binding": ("出示的内容已过时，请重新出示", "This presentation is too old. Show it again."),
    "credential.verifier_not_allowed": (
        "对方无权查看这些信息，本机不会出示",
        "The requester may not ask for this; nothing will be shown.",
    ),
    "credential.request_expired": ("这个请求已过期，请对方重新出码", "This request has expired. Ask for a new code."),
    "credential.no_delivery_key": (
        "对方没有登记收件密钥，不能经县里转交，请对方改用二维码",
        "The requester has no delivery key on file; ask them for a QR code instead.",
    ),
    "credential.no_qualifying": ("您没有对方要的证明", "You hold no credential this request accepts."),
    "credential.attestation_cap": (
        "您作证的人数已到上限（{cap}人）",
        "You have vouched for as many people as allowed ({cap}).",
    ),
    "credential.already_held": ("这张证明已经在“我的证明”里了", "This credential is already in your wallet."),
    "credential.no_trust_list": (
        "本机还没有收到县里的证明名单，请等联网后再试",
        "The county's list of trusted issuers has not reached this kiosk yet. Try again once online.",
    ),
    "credential.subject_not_here": (
        "这位村民还没有在本机办理数字身份，请对方先办理",
        "This villager has no digital identity at this kiosk yet. They must enrol first.",
    ),
    "credential.attest_self": (
        "不能给自己作证，请放对方的身份证",
        "You cannot vouch for yourself. Place the other person's card.",
    ),
    "credential.camera_failed": ("摄像头没看清，请再试一次", "The camera could not read it. Please try again."),
    # cadre mode
    "cadre.no_roster": (
        "本机还没有收到县里的村干部名单，现在不能进入",
        "This kiosk has not received the county's list of cadres yet, so cadre mode cannot open.",
    ),
    "cadre.not_cadre": (
        "您不在县里的村干部名单上。要办自己的事，请回首页",
        "You are not on the county's list of cadres. For your own business, please go home.",
    ),
    "cadre.witness_locked": (
        "村干部密码错误次数太多，已锁定，这次没有保存",
        "The cadre's PIN was wrong too often and is locked. Nothing was saved.",
    ),
    "cadre.self_witness": (
        "村干部不能给自己作证，请另找一位村干部",
        "A cadre cannot witness for themselves. Please ask another cadre.",
    ),
    "cadre.session_ended": ("村干部模式已结束，请重新进入", "Cadre mode has ended. Please enter it again."),
    # loans (kiosk/loans/, kiosk/flows/loan.py)
    "loan.no_catalog": (
        "本机还没有收到贷款产品目录，请稍后再来",
        "This kiosk has no loan catalog yet. Come back later.",
    ),
    "loan.product.unknown": ("没有这个贷款产品，请重新选择", "There is no such loan product. Please choose again."),
    "loan.product.withdrawn": ("“{name}”已经停办，请选择别的产品", "“{name}” is no longer offered. Choose another."),
    "loan.amount.not_fen": (
        "金额不对，请输入元，最多两位小数",
        "That amount is not valid. Enter yuan, two decimals at most.",
    ),
    "loan.amount.out_of_range": ("这个产品能贷{low}到{high}，请重新输入", "This product lends {low} to {high}."),
    "loan.term.not_offered": ("请从这些期限中选一个：{terms}", "Please choose one of these terms: {terms}"),
    "loan.purpose.empty": ("请选择或说明贷款用途", "Please say what the loan is for."),
    "loan.missing.real_name": ("还没有实名身份证书，请先完成实名认证", "You need a real-name credential first."),
    "loan.missing.loan_repayment": ("需要还款记录证书，请先去银行领取", "A loan repayment record is needed."),
    "loan.missing.coop_membership": ("需要合作社社员证书", "A co-operative membership credential is needed."),
    "loan.missing.land_contract": ("需要土地承包证书", "A land contract credential is needed."),
    "loan.rule.adult": ("年满18岁", "Aged 18 or over"),
    "loan.unmet.adult": ("年满18岁才能申请这个贷款", "You must be 18 or over for this loan."),
    "loan.rule.under_60": ("未满60岁", "Under 60"),
    "loan.unmet.under_60": ("这个贷款只给未满60岁的人办理", "This loan is for people under 60."),
    "loan.rule.region": ("户籍在{region}", "Living in {region}"),
    "loan.unmet.region": ("这个贷款只给{region}的村民办理", "This loan is only for villagers of {region}."),
    "loan.rule.max_outstanding": ("未还贷款不超过{amount}", "Owing at most {amount}"),
    "loan.unmet.max_outstanding": (
        "未还的贷款超过{amount}，先还一些再申请",
        "You owe more than {amount}. Repay some first.",
    ),
    "loan.rule.coop_member": ("是合作社社员", "A co-operative member"),
    "loan.unmet.coop_member": ("这个贷款只给合作社社员办理", "This loan is for co-operative members."),
    "loan.rule.min_land": ("承包土地不少于{mu}亩", "Farming at least {mu} mu"),
    "loan.unmet.min_land": ("承包土地要有{mu}亩以上才能申请", "You need at least {mu} mu of land for this loan."),
    "loan.credential.not_qualifying": (
        "这张{name}证书不符合要求，请换一张",
        "This {name} credential does not qualify.",
    ),
    "loan.attach.missing": ("还缺：{items}", "Still missing: {items}"),
    "loan.materials.too_large": ("照片太多太大了，请找村干部帮忙", "The photos are too large. Please ask the cadre."),
    "loan.draft.expired": (
        "上次没填完的申请已超过{minutes}分钟，已经清除，请重新填写",
        "Your unfinished application was older than {minutes} minutes and was cleared. Please start again.",
    ),
    "loan.draft.unreadable": ("上次没填完的申请打不开，已清除，请重新填写", "Your unfinished application was cleared."),
    "loan.draft.catalog_changed": ("贷款产品有更新，请重新选择", "The loan products changed. Please choose again."),
    "loan.application.unknown": ("没有找到这笔申请", "That application was not found."),
    "loan.application.withdrawn": ("这笔申请已经撤回了", "That application was already withdrawn."),
    # government services (kiosk/services/, kiosk/flows/service.py)
    "service.no_catalog": ("办事目录还没有送到本机，请稍后再试", "The list of services has not arrived yet."),
    "service.unknown": ("没有这项服务，请重新选择", "There is no such service. Please choose again."),
    "service.withdrawn": ("“{name}”已经停办，请选择别的服务", "“{name}” is no longer offered."),
    "service.missing.credential": ("需要先有{name}证明才能办理", "You need a {name} credential first."),
    "service.credential.not_qualifying": ("这张{name}证明不能用来办理", "This {name} credential cannot be used."),
    "service.field.required": ("请填写：{label}", "Please fill in: {label}"),
    "service.field.invalid": ("“{label}”填得不对，请重新填写", "“{label}” is not right. Please fill it in again."),
    "service.field.out_of_range": ("“{label}”请填{range}", "“{label}” must be {range}."),
    "service.field.length": ("“{label}”请写{low}到{high}个字", "“{label}” takes {low} to {high} characters."),
    "service.materials.missing": ("还缺材料照片：{items}", "Still missing photos of: {items}"),
    "service.materials.too_large": (
        "照片太多太大了，请找村干部帮忙",
        "The photos are too large. Please ask the cadre.",
    ),
    "service.draft.expired": (
        "上次没办完的事已超过{minutes}分钟，已清除，请重新填写",
        "Your unfinished request was over {minutes} minutes old and was cleared.",
    ),
    "service.draft.unreadable": ("上次没办完的事打不开，已清除，请重新填写", "Your unfinished request was cleared."),
    "service.draft.catalog_changed": ("办事目录有更新，请重新选择", "The services changed. Please choose again."),
    # pension qualification check (kiosk/flows/pension.py)
    "pension.no_face_on_file": (
        "本机没有您的人脸信息，请村干部当面为您认证",
        "This kiosk holds no face for you. A village cadre can check you in person.",
    ),
    "pension.no_face": ("没有看清您的脸，请正对摄像头", "Your face was not seen. Please face the camera."),
    "pension.no_face.final": (
        "摄像头看不清，这次认证没有通过。请村干部当面为您认证",
        "The camera cannot see you, so the check did not pass. A village cadre can check you in person.",
    ),
    "pension.not_live": (
        "请本人正对摄像头，眨眨眼，再向左转头。不能用照片",
        "Please face the camera yourself, blink, then turn your head to the left. A photo will not do.",
    ),
    "pension.not_live.final": (
        "没有通过活体检查，这次认证没有通过。请本人来，或请村干部当面认证",
        "The liveness check did not pass. Please come in person, or ask a village cadre to check you.",
    ),
    "pension.no_match": (
        "和登记的本人对不上，请领取待遇的本人来认证",
        "This does not match the person enrolled. The pensioner must take the check in person.",
    ),
    "pension.no_match.final": (
        "和登记的本人对不上，这次认证没有通过。请本人带身份证到乡镇社保所办理",
        "This does not match the person enrolled; the check did not pass. Bring the ID card to the township office.",
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
