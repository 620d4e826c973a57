"""The consent texts a villager agrees to, versioned; transactions record the version and the text's hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConsentText:
    key: str
    version: int
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# Read aloud in full before the villager agrees. Plain words: what, why, who sees it, what stays theirs.
ENROLMENT = ConsentText(
    key="enrolment",
    version=1,
    text=(
        "办理数字身份，本机会读取您的身份证信息，并拍一张您的脸部照片。"
        "这些信息加密后只发给县里的身份核验部门，用来确认是您本人办理。"
        "本机不会把您的姓名、身份证号和照片明文保存。"
        "您的数字身份钥匙在本机生成，由您设置的6位密码保护，只有您能使用。"
        "以后出示什么信息、给谁看，每次都由您自己决定。"
    ),
)
