<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>ui</name>
    <message>
      <source>链信通</source>
      <translation>Lianxintong</translation>
    </message>
    <message>
      <source>兰考县</source>
      <translation>Lankao County</translation>
    </message>
    <message>
      <source>第{n}步，共{total}步</source>
      <translation>Step {n} of {total}</translation>
    </message>
    <message>
      <source>在线</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>离线，稍后自动同步</source>
      <translation>Offline, will sync later</translation>
    </message>
    <message>
      <source>{n}件待上报</source>
      <translation>{n} waiting to be sent</translation>
    </message>
    <message>
      <source>都已上报</source>
      <translation>all sent</translation>
    </message>
    <message>
      <source>返回</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>再听一遍</source>
      <translation>Hear again</translation>
    </message>
    <message>
      <source>回首页</source>
      <translation>Home</translation>
    </message>
    <message>
      <source>求助</source>
      <translation>Help</translation>
    </message>
    <message>
      <source>确定</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>请稍等……</source>
      <translation>Please wait…</translation>
    </message>
    <message>
      <source>正在准备，请稍等</source>
      <translation>Getting ready, please wait</translation>
    </message>
    <message>
      <source>机器刚开机，马上就好。</source>
      <translation>The kiosk has just been switched on. Almost ready.</translation>
    </message>
    <message>
      <source>演示面板</source>
      <translation>Demo panel</translation>
    </message>
    <message>
      <source>只在演示时有：替村民放身份证，在摄像头前举二维码。</source>
      <translation>Only in the demo: lay a villager's ID card on the reader, hold a QR code up to the camera.</translation>
    </message>
    <message>
      <source>终端正在准备……</source>
      <translation>The kiosk is getting ready…</translation>
    </message>
    <message>
      <source>身份证</source>
      <translation>ID cards</translation>
    </message>
    <message>
      <source>放上{name}的卡</source>
      <translation>Place {name}'s card</translation>
    </message>
    <message>
      <source>拿走身份证</source>
      <translation>Take the card away</translation>
    </message>
    <message>
      <source>读卡器上：{name}的卡</source>
      <translation>On the reader: {name}'s card</translation>
    </message>
    <message>
      <source>读卡器上没有卡</source>
      <translation>No card on the reader</translation>
    </message>
    <message>
      <source>二维码</source>
      <translation>QR codes</translation>
    </message>
    <message>
      <source>要出示的文字，例如县里发的维护二维码</source>
      <translation>Text to show, e.g. a technician pass from the county</translation>
    </message>
    <message>
      <source>出示这段文字</source>
      <translation>Show this text</translation>
    </message>
    <message>
      <source>示例：一句话</source>
      <translation>Example: a sentence</translation>
    </message>
    <message>
      <source>示例：网址</source>
      <translation>Example: a web address</translation>
    </message>
    <message>
      <source>示例：很长的码</source>
      <translation>Example: a long code</translation>
    </message>
    <message>
      <source>收起二维码</source>
      <translation>Put the code away</translation>
    </message>
    <message>
      <source>摄像头前：二维码（{size}字节）</source>
      <translation>In front of the camera: a QR code ({size} bytes)</translation>
    </message>
    <message>
      <source>摄像头前：平常的画面</source>
      <translation>In front of the camera: the usual scene</translation>
    </message>
    <message>
      <source>摄像头还没准备好，请稍后再点</source>
      <translation>The camera is not ready yet; tap again in a moment</translation>
    </message>
    <message>
      <source>这段文字太长，放不进一个二维码</source>
      <translation>This text is too long for one QR code</translation>
    </message>
    <message>
      <source>请先输入文字</source>
      <translation>Type some text first</translation>
    </message>
    <message>
      <source>县里的示例</source>
      <translation>The county's examples</translation>
    </message>
    <message>
      <source>交通局的出示请求</source>
      <translation>Traffic bureau's request</translation>
    </message>
    <message>
      <source>技术员通行证</source>
      <translation>Technician's pass</translation>
    </message>
    <message>
      <source>给{name}的体检报告（{hospital}）</source>
      <translation>{name}'s health exam ({hospital})</translation>
    </message>
    <message>
      <source>体检报告（{hospital}）</source>
      <translation>Health exam ({hospital})</translation>
    </message>
    <message>
      <source>县里的示例还没备好，请稍后再点</source>
      <translation>The county's examples are not ready yet; tap again shortly</translation>
    </message>
    <message>
      <source>先办好数字身份，上链后县里的医院才给您发体检报告</source>
      <translation>Enrol first: once it is on the chain, the county's hospitals issue you a health exam</translation>
    </message>
    <message>
      <source>体检报告在“我的证明”里扫码导入；交通局只认三甲医院的。通行证在连点五下联网状态后出示。</source>
      <translation>Import a health exam by scanning it in My credentials; the traffic bureau accepts only tier-3A hospitals. Show the pass after tapping the link state five times.</translation>
    </message>
    <message>
      <source>再试一次</source>
      <translation>Try again</translation>
    </message>
    <message>
      <source>您好，请选择要办的事</source>
      <translation>Hello! What would you like to do?</translation>
    </message>
    <message>
      <source>办理数字身份</source>
      <translation>Get digital ID</translation>
    </message>
    <message>
      <source>我的证明</source>
      <translation>My proofs</translation>
    </message>
    <message>
      <source>出示证明</source>
      <translation>Show a proof</translation>
    </message>
    <message>
      <source>贷款</source>
      <translation>Loans</translation>
    </message>
    <message>
      <source>政务服务</source>
      <translation>Services</translation>
    </message>
    <message>
      <source>进度查询</source>
      <translation>My progress</translation>
    </message>
    <message>
      <source>{link} · {pending}</source>
      <translation>{link} · {pending}</translation>
    </message>
    <message>
      <source>需要帮忙吗？</source>
      <translation>Need help?</translation>
    </message>
    <message>
      <source>照着屏幕上的大字做，点右下角的蓝色按钮继续。
不会操作请找村干部，村委会就在旁边。</source>
      <translation>Follow the big words on the screen and press the blue button at the bottom right.
If you are unsure, ask the village cadre next door.</translation>
    </message>
    <message>
      <source>知道了</source>
      <translation>Got it</translation>
    </message>
    <message>
      <source>要放弃这次办理吗？</source>
      <translation>Stop and discard this?</translation>
    </message>
    <message>
      <source>放弃后，这次填的内容不会保存</source>
      <translation>Nothing you entered this time will be saved.</translation>
    </message>
    <message>
      <source>放弃</source>
      <translation>Discard</translation>
    </message>
    <message>
      <source>继续办理</source>
      <translation>Keep going</translation>
    </message>
    <message>
      <source>还在吗？</source>
      <translation>Are you still there?</translation>
    </message>
    <message>
      <source>{n}秒后回到首页，您的信息会清除</source>
      <translation>Back to home in {n} s; your details will be cleared.</translation>
    </message>
    <message>
      <source>继续</source>
      <translation>Continue</translation>
    </message>
    <message>
      <source>请把身份证放在感应区</source>
      <translation>Place your ID card on the reader</translation>
    </message>
    <message>
      <source>感应区在屏幕下方，放平不要动</source>
      <translation>The reader is below the screen. Lay the card flat and keep it still.</translation>
    </message>
    <message>
      <source>请确认是您本人</source>
      <translation>Please confirm this is you</translation>
    </message>
    <message>
      <source>身份证号只显示头尾几位</source>
      <translation>Only the first and last digits of the ID number are shown.</translation>
    </message>
    <message>
      <source>姓名：{name}</source>
      <translation>Name: {name}</translation>
    </message>
    <message>
      <source>身份证：{id}</source>
      <translation>ID card: {id}</translation>
    </message>
    <message>
      <source>不是我</source>
      <translation>Not me</translation>
    </message>
    <message>
      <source>是我</source>
      <translation>This is me</translation>
    </message>
    <message>
      <source>请听一听，同意后继续</source>
      <translation>Please listen, then agree to go on</translation>
    </message>
    <message>
      <source>同意</source>
      <translation>Agree</translation>
    </message>
    <message>
      <source>不同意</source>
      <translation>Do not agree</translation>
    </message>
    <message>
      <source>请看摄像头</source>
      <translation>Please look at the camera</translation>
    </message>
    <message>
      <source>把脸放进框里，保持不动</source>
      <translation>Put your face in the frame and keep still.</translation>
    </message>
    <message>
      <source>开始拍照</source>
      <translation>Take photo</translation>
    </message>
    <message>
      <source>村干部核对本人</source>
      <translation>The cadre checks the person</translation>
    </message>
    <message>
      <source>摄像头准备中，请稍等</source>
      <translation>The camera is getting ready, please wait.</translation>
    </message>
    <message>
      <source>拍好了</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>村干部协助模式 · {name}</source>
      <translation>Cadre assistance mode · {name}</translation>
    </message>
    <message>
      <source>村干部请放身份证</source>
      <translation>Cadre: place your ID card</translation>
    </message>
    <message>
      <source>只有县里名单上的村干部能进入</source>
      <translation>Only cadres on the county's list can enter</translation>
    </message>
    <message>
      <source>请输入您的6位密码</source>
      <translation>Enter your 6-digit PIN</translation>
    </message>
    <message>
      <source>{name}，输入您自己的密码</source>
      <translation>{name}, enter your own PIN</translation>
    </message>
    <message>
      <source>不能进入村干部模式</source>
      <translation>Cadre mode cannot open</translation>
    </message>
    <message>
      <source>村干部协助模式</source>
      <translation>Cadre assistance mode</translation>
    </message>
    <message>
      <source>请选择要办的事。办完请点“退出”</source>
      <translation>Choose what to do. Tap "Exit" when you are done</translation>
    </message>
    <message>
      <source>协助办理</source>
      <translation>Assist enrolment</translation>
    </message>
    <message>
      <source>代为操作</source>
      <translation>Operate for a villager</translation>
    </message>
    <message>
      <source>待上报</source>
      <translation>To the county</translation>
    </message>
    <message>
      <source>今日记录</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>请村干部输入密码作证</source>
      <translation>Cadre: enter your PIN as witness</translation>
    </message>
    <message>
      <source>村民的密码已设好。{name}，核对本人后输入您的密码</source>
      <translation>The villager's PIN is set. {name}, check it is them, then enter your PIN</translation>
    </message>
    <message>
      <source>代为操作，会记录是您帮办的。{name}，请输入您的密码</source>
      <translation>You operated the screen; this is recorded. {name}, enter your PIN</translation>
    </message>
    <message>
      <source>上报县里的情况</source>
      <translation>What went to the county</translation>
    </message>
    <message>
      <source>待上报{pending}件 · 已上报{sent}件 · 被退回{rejected}件</source>
      <translation>{pending} waiting · {sent} sent · {rejected} sent back</translation>
    </message>
    <message>
      <source>本机还没有办过事</source>
      <translation>Nothing has been done on this kiosk yet</translation>
    </message>
    <message>
      <source>{when} · {what} · {state}</source>
      <translation>{when} · {what} · {state}</translation>
    </message>
    <message>
      <source>⚠ 县里的原因：{reason}</source>
      <translation>⚠ The county's reason: {reason}</translation>
    </message>
    <message>
      <source>重新上报</source>
      <translation>Send again</translation>
    </message>
    <message>
      <source>已重新排队，联网后自动上报</source>
      <translation>Queued again; it goes to the county when online</translation>
    </message>
    <message>
      <source>现在读不出来，请稍后再看</source>
      <translation>This cannot be read now. Please look again later</translation>
    </message>
    <message>
      <source>已上报</source>
      <translation>Sent</translation>
    </message>
    <message>
      <source>重新设密码</source>
      <translation>New PIN</translation>
    </message>
    <message>
      <source>其他事项</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>本人办</source>
      <translation>by the villager</translation>
    </message>
    <message>
      <source>协助办</source>
      <translation>assisted</translation>
    </message>
    <message>
      <source>代办</source>
      <translation>on their behalf</translation>
    </message>
    <message>
      <source>{what}（{mode}）</source>
      <translation>{what} ({mode})</translation>
    </message>
    <message>
      <source>{month}月{day}日 {hour:02d}:{minute:02d}</source>
      <translation>{day}/{month} {hour:02d}:{minute:02d}</translation>
    </message>
    <message>
      <source>县里没有这台机器的登记，登记好后可重新上报</source>
      <translation>The county has no record of this kiosk; send again once it is registered</translation>
    </message>
    <message>
      <source>签名核对不上，请联系县里</source>
      <translation>A signature did not check out. Please contact the county</translation>
    </message>
    <message>
      <source>内容不合规定，请联系县里</source>
      <translation>The content broke a rule. Please contact the county</translation>
    </message>
    <message>
      <source>请联系县里</source>
      <translation>Please contact the county</translation>
    </message>
    <message>
      <source>今天本机办的事</source>
      <translation>What this kiosk did today</translation>
    </message>
    <message>
      <source>今天办理{total}人：本人办{own}，协助办{assisted}，代办{proxy}</source>
      <translation>{total} enrolled today: {own} by themselves, {assisted} assisted, {proxy} on their behalf</translation>
    </message>
    <message>
      <source>今天还没有记录</source>
      <translation>Nothing recorded today yet</translation>
    </message>
    <message>
      <source>还有{n}条更早的记录</source>
      <translation>{n} earlier entries</translation>
    </message>
    <message>
      <source>办理了数字身份</source>
      <translation>Enrolled a digital identity</translation>
    </message>
    <message>
      <source>重新设了密码</source>
      <translation>Set a new PIN</translation>
    </message>
    <message>
      <source>有人密码输错太多次，已锁定</source>
      <translation>Someone's PIN was locked after too many wrong tries</translation>
    </message>
    <message>
      <source>村干部进入协助模式</source>
      <translation>A cadre entered cadre mode</translation>
    </message>
    <message>
      <source>有人试图进入村干部模式，未通过</source>
      <translation>Someone tried to enter cadre mode and was refused</translation>
    </message>
    <message>
      <source>村干部重新上报了一件事</source>
      <translation>A cadre sent an item again</translation>
    </message>
    <message>
      <source>县里维护了这台机器</source>
      <translation>The county maintained this kiosk</translation>
    </message>
    <message>
      <source>{time} · {what}</source>
      <translation>{time} · {what}</translation>
    </message>
    <message>
      <source>靠近一点</source>
      <translation>Come a little closer</translation>
    </message>
    <message>
      <source>离远一点</source>
      <translation>Move back a little</translation>
    </message>
    <message>
      <source>把脸放进框里</source>
      <translation>Put your face in the frame</translation>
    </message>
    <message>
      <source>别动</source>
      <translation>Keep still</translation>
    </message>
    <message>
      <source>眨眨眼</source>
      <translation>Blink your eyes</translation>
    </message>
    <message>
      <source>向左转头，再转回来</source>
      <translation>Turn your head left, then back</translation>
    </message>
    <message>
      <source>光线太暗，请找村干部开灯</source>
      <translation>Too dark. Ask the cadre to turn on the light.</translation>
    </message>
    <message>
      <source>请输入6位数字密码</source>
      <translation>Enter a 6-digit PIN</translation>
    </message>
    <message>
      <source>不要用生日，也不要用一样的数字。别人看不到您按了什么</source>
      <translation>Not your birthday, not all the same digit. Nobody can see what you press.</translation>
    </message>
    <message>
      <source>请再输入一遍</source>
      <translation>Enter it once more</translation>
    </message>
    <message>
      <source>和刚才输入的一样</source>
      <translation>The same as before.</translation>
    </message>
    <message>
      <source>已输入{n}位</source>
      <translation>{n} digits entered</translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>清空</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>正在保存，请稍等</source>
      <translation>Saving, please wait</translation>
    </message>
    <message>
      <source>办好了！这是您的数字身份</source>
      <translation>Done! This is your digital ID</translation>
    </message>
    <message>
      <source>已保存，联网后自动上报县里</source>
      <translation>Saved. It goes to the county when the link is up.</translation>
    </message>
    <message>
      <source>县里已确认</source>
      <translation>The county has confirmed it</translation>
    </message>
    <message>
      <source>县里没有通过，请找村干部</source>
      <translation>The county did not accept it. Please ask the cadre.</translation>
    </message>
    <message>
      <source>待上链</source>
      <translation>Waiting for the county</translation>
    </message>
    <message>
      <source>已上链</source>
      <translation>Recorded by the county</translation>
    </message>
    <message>
      <source>被退回</source>
      <translation>Returned</translation>
    </message>
    <message>
      <source>完成</source>
      <translation>Finish</translation>
    </message>
    <message>
      <source>这次没有办成</source>
      <translation>This did not work out</translation>
    </message>
    <message>
      <source>已取消，什么都没有保存</source>
      <translation>Cancelled. Nothing was saved.</translation>
    </message>
    <message>
      <source>先认一认您是谁</source>
      <translation>First we check who you are.</translation>
    </message>
    <message>
      <source>{name}，请输入办理时设的密码</source>
      <translation>{name}, enter the PIN you set when you enrolled.</translation>
    </message>
    <message>
      <source>您还没有办理数字身份</source>
      <translation>You have no digital ID yet</translation>
    </message>
    <message>
      <source>先办理数字身份，再来办这件事</source>
      <translation>Get your digital ID first, then come back for this.</translation>
    </message>
    <message>
      <source>去办理</source>
      <translation>Get digital ID</translation>
    </message>
    <message>
      <source>密码已锁定</source>
      <translation>PIN locked</translation>
    </message>
    <message>
      <source>密码错了太多次。请带上身份证找村干部，核对本人后重新设密码</source>
      <translation>Too many wrong PINs. Bring your ID card to the cadre to check it is you and set a new PIN.</translation>
    </message>
    <message>
      <source>{name}，您好</source>
      <translation>Hello, {name}</translation>
    </message>
    <message>
      <source>您有{n}件事正在上报县里</source>
      <translation>{n} of your items are on their way to the county</translation>
    </message>
    <message>
      <source>您办的事都已上报县里</source>
      <translation>Everything you did has reached the county</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Sign out</translation>
    </message>
    <message>
      <source>这台机器还不能办“{service}”</source>
      <translation>"{service}" is not open at this kiosk yet</translation>
    </message>
    <message>
      <source>开通后会通知大家。现在要办，请找村干部，或到乡便民服务中心</source>
      <translation>Everyone will be told when it opens. For now, ask the cadre or go to the township service centre.</translation>
    </message>
    <message>
      <source>本机暂停使用</source>
      <translation>This kiosk is paused</translation>
    </message>
    <message>
      <source>县里正在维护这台机器。急事请找村干部</source>
      <translation>The county is servicing this kiosk. For urgent matters ask the cadre.</translation>
    </message>
    <message>
      <source>机器出了点问题</source>
      <translation>The kiosk had a problem</translation>
    </message>
    <message>
      <source>没有保存的内容已清除。请回首页重新开始，还不行请找村干部</source>
      <translation>Anything unsaved was cleared. Start again from home; if it still fails, ask the cadre.</translation>
    </message>
    <message>
      <source>维护人员入口：请把维护二维码对准摄像头</source>
      <translation>Technician entry: hold the maintenance QR code up to the camera</translation>
    </message>
    <message>
      <source>维护二维码由县里签发，只在有效期内、对这台机器有效</source>
      <translation>The county issues maintenance codes; each is valid for a set time and for given kiosks only</translation>
    </message>
    <message>
      <source>正在找二维码……</source>
      <translation>Looking for a QR code…</translation>
    </message>
    <message>
      <source>正在核对维护二维码</source>
      <translation>Checking the maintenance code</translation>
    </message>
    <message>
      <source>这不是维护二维码</source>
      <translation>This is not a maintenance code</translation>
    </message>
    <message>
      <source>维护二维码不是本县签发的，不能使用</source>
      <translation>This maintenance code was not issued by this county and cannot be used</translation>
    </message>
    <message>
      <source>维护二维码是别的县的，不能使用</source>
      <translation>This maintenance code is for another county and cannot be used</translation>
    </message>
    <message>
      <source>维护二维码不是给这台机器的</source>
      <translation>This maintenance code is not for this kiosk</translation>
    </message>
    <message>
      <source>维护二维码还没到生效时间</source>
      <translation>This maintenance code is not valid yet</translation>
    </message>
    <message>
      <source>维护二维码已过期，请找县里重新签发</source>
      <translation>This maintenance code has expired; ask the county for a new one</translation>
    </message>
    <message>
      <source>这台机器没有县里的公钥，无法核对维护二维码</source>
      <translation>This kiosk has no county key, so maintenance codes cannot be checked</translation>
    </message>
    <message>
      <source>维护二维码没能核对，请再试一次</source>
      <translation>The maintenance code could not be checked; please try again</translation>
    </message>
    <message>
      <source>维护模式 · {name}</source>
      <translation>Maintenance mode · {name}</translation>
    </message>
    <message>
      <source>退出维护</source>
      <translation>Leave maintenance</translation>
    </message>
    <message>
      <source>返回总览</source>
      <translation>Back to summary</translation>
    </message>
    <message>
      <source>重新检查</source>
      <translation>Check again</translation>
    </message>
    <message>
      <source>正在检查……</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>设备自检总览</source>
      <translation>Self-check summary</translation>
    </message>
    <message>
      <source>全部正常</source>
      <translation>All normal</translation>
    </message>
    <message>
      <source>{faults}项故障，{warnings}项注意</source>
      <translation>{faults} faults, {warnings} warnings</translation>
    </message>
    <message>
      <source>设备</source>
      <translation>Devices</translation>
    </message>
    <message>
      <source>网络和队列</source>
      <translation>Network and queue</translation>
    </message>
    <message>
      <source>系统和导出</source>
      <translation>System and export</translation>
    </message>
    <message>
      <source>正常</source>
      <translation>Normal</translation>
    </message>
    <message>
      <source>注意</source>
      <translation>Warning</translation>
    </message>
    <message>
      <source>故障</source>
      <translation>Fault</translation>
    </message>
    <message>
      <source>读卡器</source>
      <translation>Card reader</translation>
    </message>
    <message>
      <source>摄像头</source>
      <translation>Camera</translation>
    </message>
    <message>
      <source>二维码识别</source>
      <translation>QR reading</translation>
    </message>
    <message>
      <source>语音</source>
      <translation>Voice</translation>
    </message>
    <message>
      <source>网络连接</source>
      <translation>Network link</translation>
    </message>
    <message>
      <source>设备证书</source>
      <translation>Device certificate</translation>
    </message>
    <message>
      <source>待上报队列</source>
      <translation>Outbox</translation>
    </message>
    <message>
      <source>磁盘</source>
      <translation>Disk</translation>
    </message>
    <message>
      <source>数据库</source>
      <translation>Database</translation>
    </message>
    <message>
      <source>近期错误</source>
      <translation>Recent errors</translation>
    </message>
    <message>
      <source>还没有检查</source>
      <translation>Not checked yet</translation>
    </message>
    <message>
      <source>读卡器在线，没有放卡</source>
      <translation>Reader online, no card on it</translation>
    </message>
    <message>
      <source>读到一张卡，用了{ms}毫秒（内容不显示）</source>
      <translation>Read a card in {ms} ms (contents not shown)</translation>
    </message>
    <message>
      <source>读卡器没有连接：{error}</source>
      <translation>Card reader not connected: {error}</translation>
    </message>
    <message>
      <source>读卡失败：{error}</source>
      <translation>Card read failed: {error}</translation>
    </message>
    <message>
      <source>15秒内没有放卡</source>
      <translation>No card placed within 15 seconds</translation>
    </message>
    <message>
      <source>{width}×{height}，每秒{fps}帧</source>
      <translation>{width}×{height}, {fps} frames per second</translation>
    </message>
    <message>
      <source>{seconds}秒看到{frames}帧，每秒{fps}帧</source>
      <translation>{frames} frames in {seconds} s, {fps} frames per second</translation>
    </message>
    <message>
      <source>摄像头没有画面</source>
      <translation>No picture from the camera</translation>
    </message>
    <message>
      <source>自检二维码读出来了，用了{ms}毫秒</source>
      <translation>Test QR code read in {ms} ms</translation>
    </message>
    <message>
      <source>二维码识别库不可用：{error}</source>
      <translation>QR library unavailable: {error}</translation>
    </message>
    <message>
      <source>自检二维码没有读出来</source>
      <translation>The test QR code was not read</translation>
    </message>
    <message>
      <source>语音可用，点“声音测试”听一听</source>
      <translation>Voice available; tap "Sound test" to listen</translation>
    </message>
    <message>
      <source>没有语音驱动，只显示文字</source>
      <translation>No voice driver; text only</translation>
    </message>
    <message>
      <source>已播放测试语音，请确认听到了</source>
      <translation>Test sentence played; check that you heard it</translation>
    </message>
    <message>
      <source>已连接{broker}，往返{rtt}毫秒</source>
      <translation>Connected to {broker}, round trip {rtt} ms</translation>
    </message>
    <message>
      <source>已连接{broker}，往返时间还没测到</source>
      <translation>Connected to {broker}, round trip not measured yet</translation>
    </message>
    <message>
      <source>没有连上县里：{error}</source>
      <translation>Not connected to the county: {error}</translation>
    </message>
    <message>
      <source>同步程序没有在运行</source>
      <translation>The sync service is not running</translation>
    </message>
    <message>
      <source>同步程序还没有运行过</source>
      <translation>The sync service has never run</translation>
    </message>
    <message>
      <source>有效期到{expires}，还有{days}天</source>
      <translation>Valid until {expires}, {days} days left</translation>
    </message>
    <message>
      <source>已在{expires}过期</source>
      <translation>Expired on {expires}</translation>
    </message>
    <message>
      <source>没有设备证书</source>
      <translation>No device certificate</translation>
    </message>
    <message>
      <source>没有设备证书（未启用TLS）</source>
      <translation>No device certificate (TLS is off)</translation>
    </message>
    <message>
      <source>设备证书读不出来</source>
      <translation>The device certificate cannot be read</translation>
    </message>
    <message>
      <source>{depth}件待上报，最早的等了{age}，{rejected}件被退回</source>
      <translation>{depth} waiting to be sent, the oldest for {age}, {rejected} rejected</translation>
    </message>
    <message>
      <source>没有待上报的，{rejected}件被退回</source>
      <translation>Nothing waiting to be sent, {rejected} rejected</translation>
    </message>
    <message>
      <source>数据盘剩余{free}，共{total}</source>
      <translation>Data disk: {free} free of {total}</translation>
    </message>
    <message>
      <source>数据盘读不出：{error}</source>
      <translation>Data disk unreadable: {error}</translation>
    </message>
    <message>
      <source>数据库完好，审计日志完整</source>
      <translation>Database intact, audit log complete</translation>
    </message>
    <message>
      <source>数据库或审计日志有损坏：{integrity}</source>
      <translation>Database or audit log damaged: {integrity}</translation>
    </message>
    <message>
      <source>{errors}个错误，{warnings}个警告，{refusals}次拒绝</source>
      <translation>{errors} errors, {warnings} warnings, {refusals} refusals</translation>
    </message>
    <message>
      <source>{n}分钟</source>
      <translation>{n} min</translation>
    </message>
    <message>
      <source>{n}小时</source>
      <translation>{n} h</translation>
    </message>
    <message>
      <source>{n}天</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>读卡测试</source>
      <translation>Card read test</translation>
    </message>
    <message>
      <source>测帧率</source>
      <translation>Measure fps</translation>
    </message>
    <message>
      <source>二维码自检</source>
      <translation>QR self-test</translation>
    </message>
    <message>
      <source>声音测试</source>
      <translation>Sound test</translation>
    </message>
    <message>
      <source>测试中……</source>
      <translation>Testing…</translation>
    </message>
    <message>
      <source>请放一张卡在感应区（15秒内）</source>
      <translation>Place a card on the reader (within 15 seconds)</translation>
    </message>
    <message>
      <source>这是声音测试。听到这句话，说明喇叭是好的。</source>
      <translation>This is a sound test. If you hear this sentence, the speaker works.</translation>
    </message>
    <message>
      <source>县里上次确认：{when}</source>
      <translation>Last confirmed by the county: {when}</translation>
    </message>
    <message>
      <source>从来没有</source>
      <translation>Never</translation>
    </message>
    <message>
      <source>县里下发的版本：{list}</source>
      <translation>Versions sent by the county: {list}</translation>
    </message>
    <message>
      <source>县里下发的版本：还没有收到</source>
      <translation>Versions sent by the county: none received yet</translation>
    </message>
    <message>
      <source>软件{software}，数据库结构第{schema}版</source>
      <translation>Software {software}, database schema version {schema}</translation>
    </message>
    <message>
      <source>没有近期错误</source>
      <translation>No recent errors</translation>
    </message>
    <message>
      <source>导出诊断包</source>
      <translation>Export diagnostics bundle</translation>
    </message>
    <message>
      <source>导出到U盘：{folder}（不含任何个人信息）</source>
      <translation>Export to the USB stick: {folder} (no personal data)</translation>
    </message>
    <message>
      <source>已导出：{file}</source>
      <translation>Exported: {file}</translation>
    </message>
    <message>
      <source>没能导出：{error}</source>
      <translation>Could not export: {error}</translation>
    </message>
    <message>
      <source>点一张证明看详细内容</source>
      <translation>Tap a proof to see what it says</translation>
    </message>
    <message>
      <source>您还没有证明。医院、银行开的证明上有二维码，可以扫进来</source>
      <translation>You have no proofs yet. Proofs from hospitals or banks carry a QR code you can scan in</translation>
    </message>
    <message>
      <source>正在读取您的证明……</source>
      <translation>Reading your proofs…</translation>
    </message>
    <message>
      <source>第{n}页，共{total}页</source>
      <translation>Page {n} of {total}</translation>
    </message>
    <message>
      <source>上一页</source>
      <translation>Previous page</translation>
    </message>
    <message>
      <source>下一页</source>
      <translation>Next page</translation>
    </message>
    <message>
      <source>扫描证明二维码</source>
      <translation>Scan a proof QR code</translation>
    </message>
    <message>
      <source>{issuer} · {date}</source>
      <translation>{issuer} · {date}</translation>
    </message>
    <message>
      <source>开具日期：{date}</source>
      <translation>Issued: {date}</translation>
    </message>
    <message>
      <source>有效期到：{date}</source>
      <translation>Valid until: {date}</translation>
    </message>
    <message>
      <source>开具单位：{issuer}</source>
      <translation>Issued by: {issuer}</translation>
    </message>
    <message>
      <source>状态核对于{date}</source>
      <translation>Status checked on {date}</translation>
    </message>
    <message>
      <source>状态还没有核对过，联网后自动更新</source>
      <translation>Status not checked yet; it updates once online</translation>
    </message>
    <message>
      <source>状态：{word}</source>
      <translation>Status: {word}</translation>
    </message>
    <message>
      <source>有效</source>
      <translation>valid</translation>
    </message>
    <message>
      <source>已过期</source>
      <translation>expired</translation>
    </message>
    <message>
      <source>已撤销</source>
      <translation>revoked</translation>
    </message>
    <message>
      <source>暂停使用</source>
      <translation>suspended</translation>
    </message>
    <message>
      <source>状态待更新</source>
      <translation>status to be updated</translation>
    </message>
    <message>
      <source>这张证明写着：</source>
      <translation>This proof says:</translation>
    </message>
    <message>
      <source>回到我的证明</source>
      <translation>Back to my proofs</translation>
    </message>
    <message>
      <source>请把证明上的二维码对准摄像头</source>
      <translation>Hold the QR code of the proof up to the camera</translation>
    </message>
    <message>
      <source>拿稳，离摄像头一拃远</source>
      <translation>Hold it still, a hand span from the camera</translation>
    </message>
    <message>
      <source>正在核对，请稍等……</source>
      <translation>Checking, please wait…</translation>
    </message>
    <message>
      <source>已保存到“我的证明”</source>
      <translation>Saved in “My proofs”</translation>
    </message>
    <message>
      <source>这张证明没有保存</source>
      <translation>This proof was not saved</translation>
    </message>
    <message>
      <source>再扫一次</source>
      <translation>Scan again</translation>
    </message>
    <message>
      <source>请把对方的二维码对准摄像头</source>
      <translation>Hold the requester's QR code up to the camera</translation>
    </message>
    <message>
      <source>对方是要看您证明的单位，比如交通局</source>
      <translation>The requester is the office that wants to see a proof, such as the traffic bureau</translation>
    </message>
    <message>
      <source>{verifier} 要看：{claims}</source>
      <translation>{verifier} wants to see: {claims}</translation>
    </message>
    <message>
      <source>用途：{purpose}。请选一张证明</source>
      <translation>Purpose: {purpose}. Choose a proof</translation>
    </message>
    <message>
      <source>请输入6位数字密码，同意出示</source>
      <translation>Enter your 6-digit PIN to agree to show it</translation>
    </message>
    <message>
      <source>{verifier}将看到：{claims}</source>
      <translation>{verifier} will see: {claims}</translation>
    </message>
    <message>
      <source>出自：{issuer}的{kind}。别的内容不给看</source>
      <translation>From: {kind} by {issuer}. Nothing else is shown</translation>
    </message>
    <message>
      <source>请让对方扫这个二维码</source>
      <translation>Let the requester scan this QR code</translation>
    </message>
    <message>
      <source>您同意出示的记录已保存，联网后自动上报县里</source>
      <translation>The record of your consent is saved and goes to the county once online</translation>
    </message>
    <message>
      <source>这次不能出示</source>
      <translation>This cannot be shown</translation>
    </message>
    <message>
      <source>请先到出具单位开证明，把二维码扫进“我的证明”</source>
      <translation>Get the proof from its issuer first, then scan its QR code into “My proofs”</translation>
    </message>
    <message>
      <source>可以请对方重新出码，再扫一次</source>
      <translation>Ask the requester for a new code and scan again</translation>
    </message>
    <message>
      <source>办好了</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>或者点县里转来的请求：</source>
      <translation>Or tap a request the county passed on:</translation>
    </message>
    <message>
      <source>{verifier} 请你出示{kind}：{purpose}</source>
      <translation>{verifier} asks you to show your {kind}: {purpose}</translation>
    </message>
    <message>
      <source>已发送，联网后自动送到</source>
      <translation>Sent. It will be delivered once the kiosk is online</translation>
    </message>
    <message>
      <source>已送到</source>
      <translation>Delivered</translation>
    </message>
    <message>
      <source>经县里转交，只有对方能打开。您同意出示的记录已保存</source>
      <translation>Passed on by the county; only the requester can open it. A record of what you agreed to show is kept</translation>
    </message>
    <message>
      <source>为别人作证</source>
      <translation>Vouch for someone</translation>
    </message>
    <message>
      <source>请对方把身份证放在感应区</source>
      <translation>Ask the other person to place their ID card on the reader</translation>
    </message>
    <message>
      <source>您要为他（她）作证。对方也要在本机办过数字身份</source>
      <translation>You will vouch for them. They must have a digital identity at this kiosk too</translation>
    </message>
    <message>
      <source>您和对方是什么关系？</source>
      <translation>How do you know them?</translation>
    </message>
    <message>
      <source>您要证明什么？</source>
      <translation>What do you vouch for?</translation>
    </message>
    <message>
      <source>点一项，再点下一步</source>
      <translation>Tap one, then Next</translation>
    </message>
    <message>
      <source>请输入您的6位数字密码，签名作证</source>
      <translation>Enter your 6-digit PIN to sign</translation>
    </message>
    <message>
      <source>您证明：{relation}，{statement}</source>
      <translation>You vouch: {relation}, {statement}</translation>
    </message>
    <message>
      <source>作证已完成</source>
      <translation>You have vouched</translation>
    </message>
    <message>
      <source>证明已放进对方的“我的证明”，联网后自动上报县里</source>
      <translation>The proof is in their “My proofs” and goes to the county once online</translation>
    </message>
    <message>
      <source>这次不能作证</source>
      <translation>You cannot vouch this time</translation>
    </message>
    <message>
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>邻居</source>
      <translation>neighbour</translation>
    </message>
    <message>
      <source>亲属</source>
      <translation>relative</translation>
    </message>
    <message>
      <source>同村</source>
      <translation>same village</translation>
    </message>
    <message>
      <source>合作社社员</source>
      <translation>co-operative member</translation>
    </message>
    <message>
      <source>我认识他（她）多年，为人可靠</source>
      <translation>I have known them for years; they are trustworthy</translation>
    </message>
    <message>
      <source>他（她）确实住在本村</source>
      <translation>They do live in this village</translation>
    </message>
    <message>
      <source>他（她）确实在本村种地</source>
      <translation>They do farm in this village</translation>
    </message>
    <message>
      <source>{y}年{m}月{d}日</source>
      <translation>{d}/{m}/{y}</translation>
    </message>
    <message>
      <source>{n}个月</source>
      <translation>{n} months</translation>
    </message>
    <message>
      <source>元</source>
      <translation> yuan</translation>
    </message>
    <message>
      <source>、</source>
      <translation>, </translation>
    </message>
    <message>
      <source>没有办成，请再试一次；还不行请找村干部</source>
      <translation>That did not work. Please try again; if it still fails, ask the cadre.</translation>
    </message>
    <message>
      <source>摄像头还没准备好，请稍等再拍</source>
      <translation>The camera is not ready yet. Please wait a moment and try again.</translation>
    </message>
    <message>
      <source>读给我听</source>
      <translation>Read it to me</translation>
    </message>
    <message>
      <source>请选择贷款产品</source>
      <translation>Choose a loan</translation>
    </message>
    <message>
      <source>这些产品由县里统一发布，点一下看详细</source>
      <translation>The county publishes these loans. Tap one to see more.</translation>
    </message>
    <message>
      <source>现在没有可以申请的贷款产品，请以后再来</source>
      <translation>No loans can be applied for right now. Please come back later.</translation>
    </message>
    <message>
      <source>可贷{low}到{high}</source>
      <translation>Lends {low} to {high}</translation>
    </message>
    <message>
      <source>用途：{purpose}</source>
      <translation>For: {purpose}</translation>
    </message>
    <message>
      <source>请看看这个贷款</source>
      <translation>Have a look at this loan</translation>
    </message>
    <message>
      <source>{bank}的“{name}”，用于{purpose}</source>
      <translation>“{name}” from {bank}, for {purpose}</translation>
    </message>
    <message>
      <source>能贷{low}到{high}，可以分{terms}还，年利率{rate}%</source>
      <translation>Lends {low} to {high}, repaid over {terms}, at {rate}% a year</translation>
    </message>
    <message>
      <source>比如借{amount}、分{months}个月还：每月约还{monthly}，一共还{total}，其中利息{interest}</source>
      <translation>For example, {amount} over {months} months: about {monthly} a month, {total} in all, of which {interest} is interest</translation>
    </message>
    <message>
      <source>需要：{items}</source>
      <translation>Needs: {items}</translation>
    </message>
    <message>
      <source>申请这个贷款</source>
      <translation>Apply for this loan</translation>
    </message>
    <message>
      <source>请填借多少、做什么用、借多久</source>
      <translation>Say how much, what for and for how long</translation>
    </message>
    <message>
      <source>您的信息来自实名身份，不用填写：</source>
      <translation>Your details come from your real-name identity; nothing to type:</translation>
    </message>
    <message>
      <source>借多少：请在右边按数字，单位是元</source>
      <translation>How much: press the digits on the right, in yuan</translation>
    </message>
    <message>
      <source>借多少：{amount}</source>
      <translation>How much: {amount}</translation>
    </message>
    <message>
      <source>这个产品能贷{low}到{high}</source>
      <translation>This loan lends {low} to {high}</translation>
    </message>
    <message>
      <source>用途</source>
      <translation>For</translation>
    </message>
    <message>
      <source>期限</source>
      <translation>Term</translation>
    </message>
    <message>
      <source>请先在右边按数字，输入借多少元</source>
      <translation>First press the digits on the right: how many yuan</translation>
    </message>
    <message>
      <source>请选择借多久</source>
      <translation>Please choose how long</translation>
    </message>
    <message>
      <source>请把{name}放在摄像头下</source>
      <translation>Hold the {name} under the camera</translation>
    </message>
    <message>
      <source>整页放进框里，拿稳不动，再按“拍照”</source>
      <translation>Fit the whole page in the frame, hold it still, then press “Take photo”</translation>
    </message>
    <message>
      <source>第{n}份材料，共{total}份</source>
      <translation>Paper {n} of {total}</translation>
    </message>
    <message>
      <source>拍照</source>
      <translation>Take photo</translation>
    </message>
    <message>
      <source>重拍</source>
      <translation>Take again</translation>
    </message>
    <message>
      <source>正在看照片清不清楚……</source>
      <translation>Checking the photo is clear…</translation>
    </message>
    <message>
      <source>清楚，可以用</source>
      <translation>Clear, it can be used</translation>
    </message>
    <message>
      <source>太模糊：请拿稳，再拍一次</source>
      <translation>Too blurred: hold it still and take it again</translation>
    </message>
    <message>
      <source>没拍全：请把整页放进框里，再拍一次</source>
      <translation>Not all of it: fit the whole page in the frame and take it again</translation>
    </message>
    <message>
      <source>看不清：太暗或反光，请换个角度再拍</source>
      <translation>Hard to read: too dark or shiny. Try another angle</translation>
    </message>
    <message>
      <source>请核对，没问题就确认</source>
      <translation>Please check, then confirm</translation>
    </message>
    <message>
      <source>{bank}的“{product}”：借{amount}，分{months}个月还，用于{purpose}</source>
      <translation>“{product}” from {bank}: {amount} over {months} months, for {purpose}</translation>
    </message>
    <message>
      <source>{bank}将看到：{items}</source>
      <translation>{bank} will see: {items}</translation>
    </message>
    <message>
      <source>{kind}中的{claims}</source>
      <translation>from your {kind}: {claims}</translation>
    </message>
    <message>
      <source>材料照片：{items}</source>
      <translation>photos of: {items}</translation>
    </message>
    <message>
      <source>别的信息银行看不到</source>
      <translation>The bank sees nothing else</translation>
    </message>
    <message>
      <source>确认，输入密码</source>
      <translation>Confirm with PIN</translation>
    </message>
    <message>
      <source>输入密码，就是同意把上面的信息交给银行</source>
      <translation>Entering your PIN agrees to give the bank the details above</translation>
    </message>
    <message>
      <source>提交申请</source>
      <translation>Submit</translation>
    </message>
    <message>
      <source>申请已提交</source>
      <translation>Application submitted</translation>
    </message>
    <message>
      <source>联网后自动送到银行；银行的答复在“进度查询”里看</source>
      <translation>It goes to the bank once online; see the bank's answer under “Progress”</translation>
    </message>
    <message>
      <source>申请编号：{number}</source>
      <translation>Application number: {number}</translation>
    </message>
    <message>
      <source>看我的申请</source>
      <translation>My applications</translation>
    </message>
    <message>
      <source>您上次的贷款申请还没办完</source>
      <translation>Your last loan application is not finished</translation>
    </message>
    <message>
      <source>“{product}”已经办到第{n}步，要接着办吗？</source>
      <translation>“{product}” got to step {n}. Go on with it?</translation>
    </message>
    <message>
      <source>接着办</source>
      <translation>Go on</translation>
    </message>
    <message>
      <source>不要了，重新开始</source>
      <translation>No, start again</translation>
    </message>
    <message>
      <source>没关系，可以重新选择贷款产品</source>
      <translation>That is all right: you can choose a loan again</translation>
    </message>
    <message>
      <source>我的贷款申请</source>
      <translation>My loan applications</translation>
    </message>
    <message>
      <source>点一下看进度</source>
      <translation>Tap one to see its progress</translation>
    </message>
    <message>
      <source>您还没有贷款申请</source>
      <translation>You have no loan applications yet</translation>
    </message>
    <message>
      <source>{amount}，{months}个月</source>
      <translation>{amount}, {months} months</translation>
    </message>
    <message>
      <source>现在：{word}</source>
      <translation>Now: {word}</translation>
    </message>
    <message>
      <source>申请进度</source>
      <translation>Application progress</translation>
    </message>
    <message>
      <source>{date}：{words}</source>
      <translation>{date}: {words}</translation>
    </message>
    <message>
      <source>{word}，{amount}</source>
      <translation>{word}, {amount}</translation>
    </message>
    <message>
      <source>{word}：{items}</source>
      <translation>{word}: {items}</translation>
    </message>
    <message>
      <source>{word}（{reason}）</source>
      <translation>{word} ({reason})</translation>
    </message>
    <message>
      <source>撤回申请</source>
      <translation>Withdraw</translation>
    </message>
    <message>
      <source>要撤回这笔申请吗？</source>
      <translation>Withdraw this application?</translation>
    </message>
    <message>
      <source>撤回后银行不再审核。确定撤回，请输入6位数字密码</source>
      <translation>The bank will stop reviewing it. To withdraw, enter your 6-digit PIN</translation>
    </message>
    <message>
      <source>已撤回，联网后自动告诉银行</source>
      <translation>Withdrawn; the bank is told once online</translation>
    </message>
    <message>
      <source>已提交，等银行接收</source>
      <translation>Submitted, waiting for the bank</translation>
    </message>
    <message>
      <source>银行已收到</source>
      <translation>Received by the bank</translation>
    </message>
    <message>
      <source>银行审核中</source>
      <translation>Under review</translation>
    </message>
    <message>
      <source>需要补充材料</source>
      <translation>More papers needed</translation>
    </message>
    <message>
      <source>已批准</source>
      <translation>Approved</translation>
    </message>
    <message>
      <source>没有通过</source>
      <translation>Not approved</translation>
    </message>
    <message>
      <source>已放款</source>
      <translation>Paid out</translation>
    </message>
    <message>
      <source>已撤回</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <source>请选择要办的事</source>
      <translation>Choose what you need done</translation>
    </message>
    <message>
      <source>不用跑腿，在这里申请，结果会送回本机</source>
      <translation>No trip to town: apply here; the answer comes back to this kiosk</translation>
    </message>
    <message>
      <source>正在读取办事目录……</source>
      <translation>Reading the list of services…</translation>
    </message>
    <message>
      <source>我的办事</source>
      <translation>My requests</translation>
    </message>
    <message>
      <source>这些已经替您填好了</source>
      <translation>These are filled in for you</translation>
    </message>
    <message>
      <source>来自您的{source}证明，不用再填。请看一眼，对了就点下一步</source>
      <translation>From your {source} credential, no need to type them. Check them, then tap Next</translation>
    </message>
    <message>
      <source>这项办理不需要预先填好的内容</source>
      <translation>Nothing needs to be filled in from your credentials</translation>
    </message>
    <message>
      <source>第{n}项，共{total}项</source>
      <translation>Item {n} of {total}</translation>
    </message>
    <message>
      <source>必须填写，办理部门要用它来审核</source>
      <translation>Required: the office needs it to decide</translation>
    </message>
    <message>
      <source>可以不填，不填就直接点下一步</source>
      <translation>Optional: you may leave it and tap Next</translation>
    </message>
    <message>
      <source>请点一个选项</source>
      <translation>Tap one choice</translation>
    </message>
    <message>
      <source>请填{range}</source>
      <translation>Enter {range}</translation>
    </message>
    <message>
      <source>请输入{low}到{high}位</source>
      <translation>Enter {low} to {high} characters</translation>
    </message>
    <message>
      <source>已选：{value}</source>
      <translation>Chosen: {value}</translation>
    </message>
    <message>
      <source>已输入：{value}</source>
      <translation>Entered: {value}</translation>
    </message>
    <message>
      <source>还没有填</source>
      <translation>Nothing entered yet</translation>
    </message>
    <message>
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <source>更多选项</source>
      <translation>More choices</translation>
    </message>
    <message>
      <source>请拍：{name}</source>
      <translation>Photograph: {name}</translation>
    </message>
    <message>
      <source>把材料平放在摄像头下，整页放进框里，别动</source>
      <translation>Lay the paper flat under the camera, the whole page inside the frame, and hold still</translation>
    </message>
    <message>
      <source>拍好了，很清楚</source>
      <translation>Done, the photo is clear</translation>
    </message>
    <message>
      <source>照片模糊了：请拿稳，再拍一次</source>
      <translation>The photo is blurred: hold it still and take it again</translation>
    </message>
    <message>
      <source>看不清字：太暗或反光，请换个角度再拍</source>
      <translation>The words cannot be read: too dark or glare. Try another angle</translation>
    </message>
    <message>
      <source>请确认办理部门将看到的内容</source>
      <translation>Check what the office will see</translation>
    </message>
    <message>
      <source>没问题，输入密码</source>
      <translation>All right, enter PIN</translation>
    </message>
    <message>
      <source>输入密码就是同意把上面的内容交给{office}</source>
      <translation>Entering your PIN agrees to give the above to {office}</translation>
    </message>
    <message>
      <source>正在提交……</source>
      <translation>Sending…</translation>
    </message>
    <message>
      <source>已提交，联网后自动送到县里</source>
      <translation>Sent: it goes to the county when the kiosk is online</translation>
    </message>
    <message>
      <source>办理编号：{number}</source>
      <translation>Request number: {number}</translation>
    </message>
    <message>
      <source>{office}办好后会通知您，可以在“我的办事”里查看</source>
      <translation>{office} will tell you when it is done; see it under “My requests”</translation>
    </message>
    <message>
      <source>看我的办事</source>
      <translation>See my requests</translation>
    </message>
    <message>
      <source>您还没有在这里办过事</source>
      <translation>You have made no requests here yet</translation>
    </message>
    <message>
      <source>点一件看办理进度</source>
      <translation>Tap one to see how it is going</translation>
    </message>
    <message>
      <source>办理进度</source>
      <translation>Progress</translation>
    </message>
    <message>
      <source>{date}：在本机提交</source>
      <translation>{date}: sent from this kiosk</translation>
    </message>
    <message>
      <source>办别的事</source>
      <translation>Something else</translation>
    </message>
    <message>
      <source>已提交，等待办理部门接收</source>
      <translation>Sent, waiting for the office</translation>
    </message>
    <message>
      <source>办理部门已收到</source>
      <translation>The office has it</translation>
    </message>
    <message>
      <source>已办结，证明已开具</source>
      <translation>Done: the certificate is issued</translation>
    </message>
    <message>
      <source>未通过</source>
      <translation>Not granted</translation>
    </message>
    <message>
      <source>这件事现在办不了</source>
      <translation>This cannot be done now</translation>
    </message>
    <message>
      <source>把脸放进框里，按提示眨眨眼、转转头</source>
      <translation>Put your face in the oval, then blink and turn your head as told</translation>
    </message>
    <message>
      <source>开始认证</source>
      <translation>Start the check</translation>
    </message>
    <message>
      <source>今年已经认证过了，再认证一次也可以</source>
      <translation>Done this year already; doing it again is fine</translation>
    </message>
    <message>
      <source>请村干部认证</source>
      <translation>Ask a cadre to check me</translation>
    </message>
    <message>
      <source>还可以再试{n}次</source>
      <translation>{n} more tries</translation>
    </message>
    <message>
      <source>认证成功，明年{month}月前再来</source>
      <translation>Check passed. Come again before month {month} next year</translation>
    </message>
    <message>
      <source>已保存，联网后自动送到县社保局</source>
      <translation>Saved: it goes to the social security bureau when the kiosk is online</translation>
    </message>
    <message>
      <source>县里已确认：</source>
      <translation>The county confirmed:</translation>
    </message>
    <message>
      <source>由村干部当面认证</source>
      <translation>Checked in person by a village cadre</translation>
    </message>
    <message>
      <source>这次没有认证成功</source>
      <translation>The check did not pass this time</translation>
    </message>
    <message>
      <source>请村干部当面认证</source>
      <translation>A village cadre checks you in person</translation>
    </message>
    <message>
      <source>村干部看过本人后，输入村干部的6位密码</source>
      <translation>Having seen the person, the cadre enters their 6-digit PIN</translation>
    </message>
    <message>
      <source>请找村干部来：村干部从村干部入口登录后，就能在这里为您当面认证</source>
      <translation>Fetch a village cadre: once signed in at the cadre entry, they can check you here in person</translation>
    </message>
    <message>
      <source>确认是本人</source>
      <translation>It is the person</translation>
    </message>
    <message>
      <source>信用额度</source>
      <translation>Credit line</translation>
    </message>
    <message>
      <source>您的预授信额度：{amount}</source>
      <translation>Your pre-approved credit line: {amount}</translation>
    </message>
    <message>
      <source>暂无预授信额度</source>
      <translation>No pre-approved credit line yet</translation>
    </message>
    <message>
      <source>县里还没有送来您的信用评价</source>
      <translation>The county has not sent your credit evaluation yet</translation>
    </message>
    <message>
      <source>县里每月评一次，送来后就能在这里看到</source>
      <translation>The county evaluates monthly; it shows here once it arrives</translation>
    </message>
    <message>
      <source>今天更新</source>
      <translation>Updated today</translation>
    </message>
    <message>
      <source>{n}天前更新</source>
      <translation>Updated {n} days ago</translation>
    </message>
    <message>
      <source>{n}天前更新，可能已经过时，县里更新后会再发来</source>
      <translation>Updated {n} days ago; it may be out of date, the county will send a new one</translation>
    </message>
    <message>
      <source>{name}：{points}分（满分{cap}）</source>
      <translation>{name}: {points} points (of {cap})</translation>
    </message>
    <message>
      <source>为什么</source>
      <translation>Why?</translation>
    </message>
    <message>
      <source>额度是这样算出来的</source>
      <translation>How the line was worked out</translation>
    </message>
    <message>
      <source>合计{points}分，{line}（{card}第{version}版）</source>
      <translation>{points} points in all, {line} ({card}, version {version})</translation>
    </message>
    <message>
      <source>预授信额度{amount}</source>
      <translation>pre-approved line {amount}</translation>
    </message>
  </context>
  <context>
    <name>messages</name>
    <message>
      <source>本机还没有收到县里的村干部名单，现在不能进入</source>
      <comment>cadre.no_roster</comment>
      <translation>This kiosk has not received the county's list of cadres yet, so cadre mode cannot open.</translation>
    </message>
    <message>
      <source>您不在县里的村干部名单上。要办自己的事，请回首页</source>
      <comment>cadre.not_cadre</comment>
      <translation>You are not on the county's list of cadres. For your own business, please go home.</translation>
    </message>
    <message>
      <source>村干部不能给自己作证，请另找一位村干部</source>
      <comment>cadre.self_witness</comment>
      <translation>A cadre cannot witness for themselves. Please ask another cadre.</translation>
    </message>
    <message>
      <source>村干部模式已结束，请重新进入</source>
      <comment>cadre.session_ended</comment>
      <translation>Cadre mode has ended. Please enter it again.</translation>
    </message>
    <message>
      <source>村干部密码错误次数太多，已锁定，这次没有保存</source>
      <comment>cadre.witness_locked</comment>
      <translation>The cadre's PIN was wrong too often and is locked. Nothing was saved.</translation>
    </message>
    <message>
      <source>身份证已过期，请先去换新证</source>
      <comment>card.expired</comment>
      <translation>This ID card has expired. Please renew it first.</translation>
    </message>
    <message>
      <source>这张身份证的信息对不上，请找村干部核对</source>
      <comment>card.invalid</comment>
      <translation>This card's details do not check out. Ask the cadre.</translation>
    </message>
    <message>
      <source>没有读到身份证，请把身份证平放在感应区</source>
      <comment>card.none</comment>
      <translation>No ID card was read. Lay the card flat on the reader.</translation>
    </message>
    <message>
      <source>还是没有读到身份证，请找村干部帮忙</source>
      <comment>card.none.final</comment>
      <translation>Still no ID card. Please ask the village cadre.</translation>
    </message>
    <message>
      <source>请用居民身份证办理</source>
      <comment>card.not_id_card</comment>
      <translation>Please use your resident ID card.</translation>
    </message>
    <message>
      <source>这张身份证还没到有效期</source>
      <comment>card.not_yet_valid</comment>
      <translation>This ID card is not valid yet.</translation>
    </message>
    <message>
      <source>读卡器出了问题，请再试一次</source>
      <comment>card.reader_failed</comment>
      <translation>The card reader had a problem. Please try again.</translation>
    </message>
    <message>
      <source>读卡器出了问题，请找村干部帮忙</source>
      <comment>card.reader_failed.final</comment>
      <translation>The card reader is not working. Ask the cadre.</translation>
    </message>
    <message>
      <source>身份证拿开了，请重新放好，不要移动</source>
      <comment>card.removed</comment>
      <translation>The card was moved. Put it back and keep it still.</translation>
    </message>
    <message>
      <source>身份证读不完整，请找村干部帮忙</source>
      <comment>card.removed.final</comment>
      <translation>The card could not be read. Please ask the cadre.</translation>
    </message>
    <message>
      <source>这张身份证读不出来，请重新放一次</source>
      <comment>card.unreadable</comment>
      <translation>This card could not be read. Please place it again.</translation>
    </message>
    <message>
      <source>这张身份证读不出来，请找村干部帮忙</source>
      <comment>card.unreadable.final</comment>
      <translation>This card cannot be read. Please ask the cadre.</translation>
    </message>
    <message>
      <source>这张证明已经在“我的证明”里了</source>
      <comment>credential.already_held</comment>
      <translation>This credential is already in your wallet.</translation>
    </message>
    <message>
      <source>不能给自己作证，请放对方的身份证</source>
      <comment>credential.attest_self</comment>
      <translation>You cannot vouch for yourself. Place the other person's card.</translation>
    </message>
    <message>
      <source>您作证的人数已到上限（{cap}人）</source>
      <comment>credential.attestation_cap</comment>
      <translation>You have vouched for as many people as allowed ({cap}).</translation>
    </message>
    <message>
      <source>证明的签名对不上，可能被改过，不能使用</source>
      <comment>credential.bad_signature</comment>
      <translation>The signature does not match: it may be forged.</translation>
    </message>
    <message>
      <source>摄像头没看清，请再试一次</source>
      <comment>credential.camera_failed</comment>
      <translation>The camera could not read it. Please try again.</translation>
    </message>
    <message>
      <source>证明已过期，请找出具单位重新开具</source>
      <comment>credential.expired</comment>
      <translation>The credential has expired. Ask the issuer for a new one.</translation>
    </message>
    <message>
      <source>证明内容被改过，不能使用</source>
      <comment>credential.forged_disclosure</comment>
      <translation>The credential's contents were changed: not usable.</translation>
    </message>
    <message>
      <source>证明的内容不完整或不对，不能收下</source>
      <comment>credential.invalid_claims</comment>
      <translation>The credential's contents are incomplete or wrong.</translation>
    </message>
    <message>
      <source>这不是一张能识别的证明，请找出具单位核对</source>
      <comment>credential.malformed</comment>
      <translation>This is not a credential we can read.</translation>
    </message>
    <message>
      <source>对方没有登记收件密钥，不能经县里转交，请对方改用二维码</source>
      <comment>credential.no_delivery_key</comment>
      <translation>The requester has no delivery key on file; ask them for a QR code instead.</translation>
    </message>
    <message>
      <source>您没有对方要的证明</source>
      <comment>credential.no_qualifying</comment>
      <translation>You hold no credential this request accepts.</translation>
    </message>
    <message>
      <source>本机还没有收到县里的证明名单，请等联网后再试</source>
      <comment>credential.no_trust_list</comment>
      <translation>The county's list of trusted issuers has not reached this kiosk yet. Try again once online.</translation>
    </message>
    <message>
      <source>这张证明不是开给您的</source>
      <comment>credential.not_bound</comment>
      <translation>This credential was not issued to you.</translation>
    </message>
    <message>
      <source>证明还没到生效时间</source>
      <comment>credential.not_yet_valid</comment>
      <translation>The credential is not valid yet.</translation>
    </message>
    <message>
      <source>这个码内容太多，读不了</source>
      <comment>credential.oversized</comment>
      <translation>This code holds too much to read.</translation>
    </message>
    <message>
      <source>这个请求已过期，请对方重新出码</source>
      <comment>credential.request_expired</comment>
      <translation>This request has expired. Ask for a new code.</translation>
    </message>
    <message>
      <source>证明已被出具单位撤销</source>
      <comment>credential.revoked</comment>
      <translation>The issuer has revoked this credential.</translation>
    </message>
    <message>
      <source>出示的内容已过时，请重新出示</source>
      <comment>credential.stale_binding</comment>
      <translation>This presentation is too old. Show it again.</translation>
    </message>
    <message>
      <source>暂时查不到证明是否有效，请等本机联网后再试</source>
      <comment>credential.status_unknown</comment>
      <translation>Its status cannot be checked now. Try again once the kiosk is online.</translation>
    </message>
    <message>
      <source>这位村民还没有在本机办理数字身份，请对方先办理</source>
      <comment>credential.subject_not_here</comment>
      <translation>This villager has no digital identity at this kiosk yet. They must enrol first.</translation>
    </message>
    <message>
      <source>证明暂停使用，请找出具单位了解</source>
      <comment>credential.suspended</comment>
      <translation>This credential is suspended. Ask the issuer.</translation>
    </message>
    <message>
      <source>本机还不认识这种证明</source>
      <comment>credential.unknown_type</comment>
      <translation>This kiosk does not know this kind of credential.</translation>
    </message>
    <message>
      <source>出具单位不在信任名单上，不能收下</source>
      <comment>credential.untrusted_issuer</comment>
      <translation>The issuer is not trusted for this credential.</translation>
    </message>
    <message>
      <source>对方无权查看这些信息，本机不会出示</source>
      <comment>credential.verifier_not_allowed</comment>
      <translation>The requester may not ask for this; nothing will be shown.</translation>
    </message>
    <message>
      <source>出示的内容是给别的单位的</source>
      <comment>credential.wrong_audience</comment>
      <translation>This was shown to someone else.</translation>
    </message>
    <message>
      <source>出示的内容不是这次请求要的，请重新出示</source>
      <comment>credential.wrong_nonce</comment>
      <translation>This is not an answer to this request.</translation>
    </message>
    <message>
      <source>您已经办理过数字身份。忘记密码请找村干部帮忙</source>
      <comment>enrol.already_enrolled</comment>
      <translation>You already have a digital identity. If you forgot your PIN, ask the cadre.</translation>
    </message>
    <message>
      <source>时间到了，这次没有保存，请重新开始</source>
      <comment>enrol.timeout</comment>
      <translation>Time is up. Nothing was saved; please start again.</translation>
    </message>
    <message>
      <source>年满{min_age}岁才能办理</source>
      <comment>enrol.too_young</comment>
      <translation>You must be {min_age} or older to enrol.</translation>
    </message>
    <message>
      <source>照片和本人对不上，请再试一次</source>
      <comment>face.no_match</comment>
      <translation>The photo and your face do not match. Try again.</translation>
    </message>
    <message>
      <source>照片和本人对不上，请找村干部帮忙</source>
      <comment>face.no_match.final</comment>
      <translation>The photo and your face do not match. Ask the cadre.</translation>
    </message>
    <message>
      <source>没有看清您的脸，请正对摄像头</source>
      <comment>face.not_found</comment>
      <translation>Your face was not seen. Please face the camera.</translation>
    </message>
    <message>
      <source>摄像头看不清，请找村干部帮忙</source>
      <comment>face.not_found.final</comment>
      <translation>The camera cannot see you. Please ask the cadre.</translation>
    </message>
    <message>
      <source>请本人正对摄像头，眨眨眼，再向左转头</source>
      <comment>face.not_live</comment>
      <translation>Please face the camera yourself, blink, then turn your head to the left.</translation>
    </message>
    <message>
      <source>没有通过检查，请找村干部帮忙</source>
      <comment>face.not_live.final</comment>
      <translation>The check did not pass. Please ask the cadre.</translation>
    </message>
    <message>
      <source>金额不对，请输入元，最多两位小数</source>
      <comment>loan.amount.not_fen</comment>
      <translation>That amount is not valid. Enter yuan, two decimals at most.</translation>
    </message>
    <message>
      <source>这个产品能贷{low}到{high}，请重新输入</source>
      <comment>loan.amount.out_of_range</comment>
      <translation>This product lends {low} to {high}.</translation>
    </message>
    <message>
      <source>没有找到这笔申请</source>
      <comment>loan.application.unknown</comment>
      <translation>That application was not found.</translation>
    </message>
    <message>
      <source>这笔申请已经撤回了</source>
      <comment>loan.application.withdrawn</comment>
      <translation>That application was already withdrawn.</translation>
    </message>
    <message>
      <source>还缺：{items}</source>
      <comment>loan.attach.missing</comment>
      <translation>Still missing: {items}</translation>
    </message>
    <message>
      <source>这张{name}证书不符合要求，请换一张</source>
      <comment>loan.credential.not_qualifying</comment>
      <translation>This {name} credential does not qualify.</translation>
    </message>
    <message>
      <source>贷款产品有更新，请重新选择</source>
      <comment>loan.draft.catalog_changed</comment>
      <translation>The loan products changed. Please choose again.</translation>
    </message>
    <message>
      <source>上次没填完的申请已超过{minutes}分钟，已经清除，请重新填写</source>
      <comment>loan.draft.expired</comment>
      <translation>Your unfinished application was older than {minutes} minutes and was cleared. Please start again.</translation>
    </message>
    <message>
      <source>上次没填完的申请打不开，已清除，请重新填写</source>
      <comment>loan.draft.unreadable</comment>
      <translation>Your unfinished application was cleared.</translation>
    </message>
    <message>
      <source>照片太多太大了，请找村干部帮忙</source>
      <comment>loan.materials.too_large</comment>
      <translation>The photos are too large. Please ask the cadre.</translation>
    </message>
    <message>
      <source>需要合作社社员证书</source>
      <comment>loan.missing.coop_membership</comment>
      <translation>A co-operative membership credential is needed.</translation>
    </message>
    <message>
      <source>需要土地承包证书</source>
      <comment>loan.missing.land_contract</comment>
      <translation>A land contract credential is needed.</translation>
    </message>
    <message>
      <source>需要还款记录证书，请先去银行领取</source>
      <comment>loan.missing.loan_repayment</comment>
      <translation>A loan repayment record is needed.</translation>
    </message>
    <message>
      <source>还没有实名身份证书，请先完成实名认证</source>
      <comment>loan.missing.real_name</comment>
      <translation>You need a real-name credential first.</translation>
    </message>
    <message>
      <source>本机还没有收到贷款产品目录，请稍后再来</source>
      <comment>loan.no_catalog</comment>
      <translation>This kiosk has no loan catalog yet. Come back later.</translation>
    </message>
    <message>
      <source>没有这个贷款产品，请重新选择</source>
      <comment>loan.product.unknown</comment>
      <translation>There is no such loan product. Please choose again.</translation>
    </message>
    <message>
      <source>“{name}”已经停办，请选择别的产品</source>
      <comment>loan.product.withdrawn</comment>
      <translation>“{name}” is no longer offered. Choose another.</translation>
    </message>
    <message>
      <source>请选择或说明贷款用途</source>
      <comment>loan.purpose.empty</comment>
      <translation>Please say what the loan is for.</translation>
    </message>
    <message>
      <source>年满18岁</source>
      <comment>loan.rule.adult</comment>
      <translation>Aged 18 or over</translation>
    </message>
    <message>
      <source>是合作社社员</source>
      <comment>loan.rule.coop_member</comment>
      <translation>A co-operative member</translation>
    </message>
    <message>
      <source>未还贷款不超过{amount}</source>
      <comment>loan.rule.max_outstanding</comment>
      <translation>Owing at most {amount}</translation>
    </message>
    <message>
      <source>承包土地不少于{mu}亩</source>
      <comment>loan.rule.min_land</comment>
      <translation>Farming at least {mu} mu</translation>
    </message>
    <message>
      <source>户籍在{region}</source>
      <comment>loan.rule.region</comment>
      <translation>Living in {region}</translation>
    </message>
    <message>
      <source>未满60岁</source>
      <comment>loan.rule.under_60</comment>
      <translation>Under 60</translation>
    </message>
    <message>
      <source>请从这些期限中选一个：{terms}</source>
      <comment>loan.term.not_offered</comment>
      <translation>Please choose one of these terms: {terms}</translation>
    </message>
    <message>
      <source>年满18岁才能申请这个贷款</source>
      <comment>loan.unmet.adult</comment>
      <translation>You must be 18 or over for this loan.</translation>
    </message>
    <message>
      <source>这个贷款只给合作社社员办理</source>
      <comment>loan.unmet.coop_member</comment>
      <translation>This loan is for co-operative members.</translation>
    </message>
    <message>
      <source>未还的贷款超过{amount}，先还一些再申请</source>
      <comment>loan.unmet.max_outstanding</comment>
      <translation>You owe more than {amount}. Repay some first.</translation>
    </message>
    <message>
      <source>承包土地要有{mu}亩以上才能申请</source>
      <comment>loan.unmet.min_land</comment>
      <translation>You need at least {mu} mu of land for this loan.</translation>
    </message>
    <message>
      <source>这个贷款只给{region}的村民办理</source>
      <comment>loan.unmet.region</comment>
      <translation>This loan is only for villagers of {region}.</translation>
    </message>
    <message>
      <source>这个贷款只给未满60岁的人办理</source>
      <comment>loan.unmet.under_60</comment>
      <translation>This loan is for people under 60.</translation>
    </message>
    <message>
      <source>没有看清您的脸，请正对摄像头</source>
      <comment>pension.no_face</comment>
      <translation>Your face was not seen. Please face the camera.</translation>
    </message>
    <message>
      <source>摄像头看不清，这次认证没有通过。请村干部当面为您认证</source>
      <comment>pension.no_face.final</comment>
      <translation>The camera cannot see you, so the check did not pass. A village cadre can check you in person.</translation>
    </message>
    <message>
      <source>本机没有您的人脸信息，请村干部当面为您认证</source>
      <comment>pension.no_face_on_file</comment>
      <translation>This kiosk holds no face for you. A village cadre can check you in person.</translation>
    </message>
    <message>
      <source>和登记的本人对不上，请领取待遇的本人来认证</source>
      <comment>pension.no_match</comment>
      <translation>This does not match the person enrolled. The pensioner must take the check in person.</translation>
    </message>
    <message>
      <source>和登记的本人对不上，这次认证没有通过。请本人带身份证到乡镇社保所办理</source>
      <comment>pension.no_match.final</comment>
      <translation>This does not match the person enrolled; the check did not pass. Bring the ID card to the township office.</translation>
    </message>
    <message>
      <source>请本人正对摄像头，眨眨眼，再向左转头。不能用照片</source>
      <comment>pension.not_live</comment>
      <translation>Please face the camera yourself, blink, then turn your head to the left. A photo will not do.</translation>
    </message>
    <message>
      <source>没有通过活体检查，这次认证没有通过。请本人来，或请村干部当面认证</source>
      <comment>pension.not_live.final</comment>
      <translation>The liveness check did not pass. Please come in person, or ask a village cadre to check you.</translation>
    </message>
    <message>
      <source>密码错误次数太多，已锁定。请带身份证找村干部解锁</source>
      <comment>pin.locked</comment>
      <translation>Too many wrong PINs: locked. Bring your ID card to the cadre to unlock.</translation>
    </message>
    <message>
      <source>两次输入的不一样，请重新设置</source>
      <comment>pin.mismatch</comment>
      <translation>The two PINs differ. Please set it again.</translation>
    </message>
    <message>
      <source>两次输入总不一样，这次没有保存</source>
      <comment>pin.mismatch.final</comment>
      <translation>The PINs kept differing. Nothing was saved.</translation>
    </message>
    <message>
      <source>不要用生日做密码，请换一个</source>
      <comment>pin.rule.birth_date</comment>
      <translation>Do not use your birthday. Choose another PIN.</translation>
    </message>
    <message>
      <source>不要用身份证号做密码，请换一个</source>
      <comment>pin.rule.id_number</comment>
      <translation>Do not use your ID number. Choose another PIN.</translation>
    </message>
    <message>
      <source>请输入6位数字</source>
      <comment>pin.rule.six_digits</comment>
      <translation>Please enter 6 digits.</translation>
    </message>
    <message>
      <source>密码太简单，别人容易猜到，请换一个</source>
      <comment>pin.rule.too_simple</comment>
      <translation>That PIN is too easy to guess. Choose another.</translation>
    </message>
    <message>
      <source>密码不对，还可以试{remaining}次</source>
      <comment>pin.wrong</comment>
      <translation>Wrong PIN. {remaining} tries left.</translation>
    </message>
    <message>
      <source>这张{name}证明不能用来办理</source>
      <comment>service.credential.not_qualifying</comment>
      <translation>This {name} credential cannot be used.</translation>
    </message>
    <message>
      <source>办事目录有更新，请重新选择</source>
      <comment>service.draft.catalog_changed</comment>
      <translation>The services changed. Please choose again.</translation>
    </message>
    <message>
      <source>上次没办完的事已超过{minutes}分钟，已清除，请重新填写</source>
      <comment>service.draft.expired</comment>
      <translation>Your unfinished request was over {minutes} minutes old and was cleared.</translation>
    </message>
    <message>
      <source>上次没办完的事打不开，已清除，请重新填写</source>
      <comment>service.draft.unreadable</comment>
      <translation>Your unfinished request was cleared.</translation>
    </message>
    <message>
      <source>“{label}”填得不对，请重新填写</source>
      <comment>service.field.invalid</comment>
      <translation>“{label}” is not right. Please fill it in again.</translation>
    </message>
    <message>
      <source>“{label}”请写{low}到{high}个字</source>
      <comment>service.field.length</comment>
      <translation>“{label}” takes {low} to {high} characters.</translation>
    </message>
    <message>
      <source>“{label}”请填{range}</source>
      <comment>service.field.out_of_range</comment>
      <translation>“{label}” must be {range}.</translation>
    </message>
    <message>
      <source>请填写：{label}</source>
      <comment>service.field.required</comment>
      <translation>Please fill in: {label}</translation>
    </message>
    <message>
      <source>还缺材料照片：{items}</source>
      <comment>service.materials.missing</comment>
      <translation>Still missing photos of: {items}</translation>
    </message>
    <message>
      <source>照片太多太大了，请找村干部帮忙</source>
      <comment>service.materials.too_large</comment>
      <translation>The photos are too large. Please ask the cadre.</translation>
    </message>
    <message>
      <source>需要先有{name}证明才能办理</source>
      <comment>service.missing.credential</comment>
      <translation>You need a {name} credential first.</translation>
    </message>
    <message>
      <source>办事目录还没有送到本机，请稍后再试</source>
      <comment>service.no_catalog</comment>
      <translation>The list of services has not arrived yet.</translation>
    </message>
    <message>
      <source>没有这项服务，请重新选择</source>
      <comment>service.unknown</comment>
      <translation>There is no such service. Please choose again.</translation>
    </message>
    <message>
      <source>“{name}”已经停办，请选择别的服务</source>
      <comment>service.withdrawn</comment>
      <translation>“{name}” is no longer offered.</translation>
    </message>
    <message>
      <source>您还没有办理数字身份，请先办理</source>
      <comment>signin.not_enrolled</comment>
      <translation>You have no digital identity yet. Please enrol first.</translation>
    </message>
    <message>
      <source>本机出了问题，这次没有保存。请联系村干部</source>
      <comment>store.failed</comment>
      <translation>This kiosk had a problem. Nothing was saved.</translation>
    </message>
    <message>
      <source>本机存储已满，这次没有保存。请联系村干部</source>
      <comment>store.full</comment>
      <translation>This kiosk's storage is full. Nothing was saved.</translation>
    </message>
  </context>
  <context>
    <name>consent</name>
    <message>
      <source>办理数字身份，本机会读取您的身份证信息，并拍一张您的脸部照片。这些信息加密后只发给县里的身份核验部门，用来确认是您本人办理。本机不会把您的姓名、身份证号和照片明文保存。您的数字身份钥匙在本机生成，由您设置的6位密码保护，只有您能使用。以后出示什么信息、给谁看，每次都由您自己决定。</source>
      <comment>enrolment v1</comment>
      <translation>To make your digital ID, this kiosk reads your ID card and takes a photo of your face. These are encrypted and sent only to the county's identity office, to confirm it is really you. The kiosk does not keep your name, ID number or photo in readable form. Your digital ID key is made on this kiosk and protected by the 6-digit PIN you set; only you can use it. Later, you decide each time what to show and to whom.</translation>
    </message>
  </context>
</TS>