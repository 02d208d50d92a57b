<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CandidatesModel</name>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="71"/>
        <source>National code</source>
        <translation>医保编码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="72"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="73"/>
        <source>Spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="74"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="75"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="76"/>
        <source>Likeness</source>
        <translation>相似度</translation>
    </message>
</context>
<context>
    <name>CashDrawer</name>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="35"/>
        <source>&amp;Tendered</source>
        <translation>实收(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="31"/>
        <source>Cash tendered</source>
        <translation>患者交来的现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="107"/>
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="78"/>
        <source>Give back in cash · No. {0}</source>
        <translation>应退现金 · 第{0}号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="101"/>
        <source>Not an amount: {0}</source>
        <translation>不是金额：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="105"/>
        <source>Short by {0}</source>
        <translation>还差 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="83"/>
        <source>To collect · No. {0}</source>
        <translation>应收现金 · 第{0}号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drawer.py" line="28"/>
        <location filename="../../desktop/ui/drawer.py" line="54"/>
        <location filename="../../desktop/ui/drawer.py" line="68"/>
        <source>To collect</source>
        <translation>应收现金</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="546"/>
        <source>Choose the diagnosing doctor (Alt+Y): the agency needs one for the visit</source>
        <translation>请选择接诊医生（Alt+Y）：医保结算需要接诊医生</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="91"/>
        <source>Swipe or scan the card, or type the ID number, then Enter; F3 reads a card in the reader</source>
        <translation>刷卡、扫码或输入身份证号，按回车；读卡器中的卡按 F3 读取</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="101"/>
        <location filename="../../desktop/ui/counter_page.py" line="287"/>
        <location filename="../../desktop/ui/counter_page.py" line="364"/>
        <source>Settle (F12)</source>
        <translation>结算 (F12)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="112"/>
        <source>&amp;Card</source>
        <translation>卡号(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="203"/>
        <source>The card could not be read: {0}</source>
        <translation>读卡失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="408"/>
        <source>Not settled: {0}</source>
        <translation>未结算：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="285"/>
        <source>Not settled: {0} The visit is kept as typed: F12 settles it then.</source>
        <translation>未结算：{0}本次就诊已原样保留，处理好后按 F12 结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="287"/>
        <source>The diagnosis needs its ICD-10 code: pick it from the list, or type code and name, e.g. {0}</source>
        <translation>诊断须有 ICD-10 编码：请从列表中选择，或输入“编码 名称”，如 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="436"/>
        <source>Enter a diagnosis: an insurance settlement needs one</source>
        <translation>请填写诊断：医保结算须有诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="462"/>
        <source>No. {0} settled for {1}: total {2}, fund {3}, account {4}, patient pays {5}. Ctrl+P prints it.</source>
        <translation>第{0}号已结算（{1}）：合计{2}，统筹支付{3}，个人账户{4}，个人现金{5}。按 Ctrl+P 打印收据。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="337"/>
        <source>Settle self-pay No. {0} ({1}, {2} paid in cash) as insured: read the patient&apos;s card. Escape cancels.</source>
        <translation>将第{0}号自费结算（{1}，已付现金{2}）改按医保结算：请读取患者的卡。按 Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="434"/>
        <source>Enter a diagnosis: the ledger records one for every visit</source>
        <translation>请填写诊断：台账每次就诊都须记录诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="495"/>
        <source>No. {0} settled as insured for {1}: fund {2}, account {3}, patient pays {4}. Self-pay No. {5} reversed: {6}. Ctrl+P prints the new receipt.</source>
        <translation>第{0}号已按医保结算（{1}）：统筹支付{2}，个人账户{3}，个人现金{4}。第{5}号自费结算已冲正：{6}。按 Ctrl+P 打印新收据。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="479"/>
        <source>No. {0} settled as self-pay for {1}: {2}, all in cash; not sent to the agency. Ctrl+P prints it.</source>
        <translation>第{0}号已按自费结算（{1}）：{2}，全部现金支付，不上传医保。按 Ctrl+P 打印收据。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="218"/>
        <source>Not on the roster: F8 starts a self-pay visit (自费) instead.</source>
        <translation>名册中查无此人：按 F8 可按自费就诊。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="366"/>
        <source>Not settleable on insurance here: F8 settles the visit as self-pay (自费).</source>
        <translation>本次不能按医保结算：按 F8 可按自费结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="368"/>
        <source>Self-pay: nothing from the fund or the account. F8 goes back to insured.</source>
        <translation>自费：不经统筹基金和个人账户。再按 F8 恢复医保结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="364"/>
        <source>Settle self-pay (F12)</source>
        <translation>自费结算 (F12)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="491"/>
        <source>collect {0} more in cash</source>
        <translation>还应补收现金{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="489"/>
        <source>give back {0} in cash</source>
        <translation>应退还现金{0}</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="194"/>
        <source>Fund</source>
        <translation>基金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="99"/>
        <source>Clinic counter</source>
        <translation>门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="470"/>
        <source>Locked. Sign in to carry on.</source>
        <translation>已锁定，请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="176"/>
        <source>Counter</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="202"/>
        <source>Today&apos;s settlements</source>
        <translation>今日结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="204"/>
        <source>Ledger</source>
        <translation>门诊台账</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="204"/>
        <source>Day close</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="239"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="249"/>
        <source>Catalogue mapping</source>
        <translation>目录对照</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="273"/>
        <source>This page could not be opened: {0}</source>
        <translation>此页面无法打开：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="278"/>
        <source>Opening the clinic&apos;s records…</source>
        <translation>正在打开本院数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="279"/>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="279"/>
        <source>Village doctor</source>
        <translation>村医</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="279"/>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="280"/>
        <source>{0} ({1}) · {2}</source>
        <translation>{0}（{1}）· {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="302"/>
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="312"/>
        <source>Print receipt</source>
        <translation>打印收据</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="304"/>
        <source>Read the card in the reader</source>
        <translation>读取读卡器中的卡</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="306"/>
        <source>Next patient</source>
        <translation>下一位</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="307"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="309"/>
        <source>Page {0}</source>
        <translation>第{0}页</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="361"/>
        <source>Settlement {0} saved.</source>
        <translation>结算单{0}已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="389"/>
        <source>Syncing with the agency…</source>
        <translation>正在与医保经办机构同步…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="391"/>
        <source>Sync has not started yet.</source>
        <translation>同步尚未开始。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="438"/>
        <source>Receipt {0} sent to the printer.</source>
        <translation>收据{0}已送打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="441"/>
        <source>No printer: receipt {0} saved as {1}</source>
        <translation>没有打印机：收据{0}已存为 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="459"/>
        <source>Could not load the catalogue: {0}</source>
        <translation>无法读取目录：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="428"/>
        <source>No printer: settle-up {0} saved as {1}</source>
        <translation>没有打印机：补退费凭证{0}已存为 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="305"/>
        <source>Self-pay</source>
        <translation>自费就诊</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="425"/>
        <source>Settle-up {0} sent to the printer.</source>
        <translation>补退费凭证{0}已送打印机。</translation>
    </message>
</context>
<context>
    <name>DifferencesModel</name>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="90"/>
        <source>Settlement</source>
        <translation>结算单</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="91"/>
        <source>Visit date</source>
        <translation>就诊日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="92"/>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="93"/>
        <source>Fund (counter)</source>
        <translation>统筹（本地）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="94"/>
        <source>Fund (agency)</source>
        <translation>统筹（医保）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="95"/>
        <source>Account (counter)</source>
        <translation>账户（本地）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="96"/>
        <source>Account (agency)</source>
        <translation>账户（医保）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="97"/>
        <source>Cash (counter)</source>
        <translation>现金（本地）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="98"/>
        <source>Cash (agency)</source>
        <translation>现金（医保）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="99"/>
        <source>Patient owes (+) / gets back (-)</source>
        <translation>患者应补(+)/应退(-)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="110"/>
        <source>Collected {0}</source>
        <translation>已补收{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="112"/>
        <source>Given back {0}</source>
        <translation>已退还{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="113"/>
        <source>Not yet</source>
        <translation>未结清</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="100"/>
        <source>Settled up</source>
        <translation>补退费</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="120"/>
        <source>Encrypt the clinic&apos;s records on this computer?

Whoever copies an encrypted file sees no name, ID number or diagnosis in it. The key is kept in this computer&apos;s keyring; an administrator writes it down with `clinic-pos store-key show` to open a backup on another computer.</source>
        <translation>加密本机上的诊所数据吗？

加密后，即使有人拷走数据文件，也看不到任何姓名、身份证号或诊断。密钥保存在本机的系统密钥环中；管理员可用 `clinic-pos store-key show` 抄下密钥，以便在其他电脑上打开备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="133"/>
        <source>Setting up a demo clinic to try the counter…</source>
        <translation>正在建立演示卫生院，请稍候…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="118"/>
        <location filename="../../desktop/ui/app.py" line="135"/>
        <location filename="../../desktop/ui/app.py" line="149"/>
        <source>Clinic counter</source>
        <translation>门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="149"/>
        <source>Could not start: {0}</source>
        <translation>无法启动：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>{0} is not the clinic&apos;s records; it was left as it is.</source>
        <translation>{0} 不是本诊所的数据文件，程序未作任何改动。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>Details: {0}</source>
        <translation>详情：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>The clinic&apos;s records at {0} are encrypted, and this computer does not have their key.</source>
        <translation>{0} 的诊所数据已加密，本机没有它的密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>Give this computer the store&apos;s key (clinic-pos store-key set), then start again.</source>
        <translation>请为本机设置数据库密钥（clinic-pos store-key set），然后重新启动。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>The audit log of the clinic&apos;s records at {0} is broken: a recorded row was changed, deleted or reordered.</source>
        <translation>{0} 的诊所数据审计链已断裂：有已记录的数据被修改、删除或调换了顺序。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>The clinic&apos;s records at {0} are damaged.</source>
        <translation>{0} 的诊所数据已损坏。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>Nothing was written to them. Copy the file aside for the auditor, then restore the newest backup that checks out: clinic-pos restore --db {0} --from {1}</source>
        <translation>程序没有向其写入任何内容。请先把该文件另存一份交审计，再恢复最近一份检查通过的备份：clinic-pos restore --db {0} --from {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="170"/>
        <source>Nothing was written to them. Copy the file aside for the auditor; no backup was found in {0}: ask the administrator.</source>
        <translation>程序没有向其写入任何内容。请先把该文件另存一份交审计；{0} 中没有找到备份，请联系管理员。</translation>
    </message>
</context>
<context>
    <name>MappingModels</name>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="22"/>
        <source>Not mapped</source>
        <translation>未对照</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="23"/>
        <source>Proposed, to review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="24"/>
        <source>Reviewed</source>
        <translation>已审核</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="90"/>
        <source>Search the national catalogue: name, pinyin initials or code</source>
        <translation>搜索医保目录：名称、拼音首字母或编码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="101"/>
        <source>Confirm mapping (Enter)</source>
        <translation>确认对照 (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="112"/>
        <source>The agency pays for an item only by its national code (医保目录对照). Choose an item, then the national line that is the same thing; the next sync tells the agency (3301).</source>
        <translation>医保只按国家医保编码结算（医保目录对照）。先选本院项目，再选与之相同的医保目录条目；下次同步时上传医保（3301）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="135"/>
        <source>{0} items, {1} without a reviewed national code.</source>
        <translation>共 {0} 个项目，其中 {1} 个尚无审核过的医保编码。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="141"/>
        <source>Could not read the catalogue mapping: {0}</source>
        <translation>无法读取目录对照：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="179"/>
        <source>Only an administrator maps the catalogue.</source>
        <translation>只有管理员可以做目录对照。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="183"/>
        <source>Choose an item and the national line it is.</source>
        <translation>请选择本院项目及其对应的医保目录条目。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_page.py" line="192"/>
        <source>{0} {1} is now {2} {3}.</source>
        <translation>{0} {1} 已对照为 {2} {3}。</translation>
    </message>
</context>
<context>
    <name>MappingsModel</name>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="40"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="41"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="42"/>
        <source>Mapping</source>
        <translation>对照状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="43"/>
        <source>National code</source>
        <translation>医保编码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="44"/>
        <source>National name</source>
        <translation>医保名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="45"/>
        <source>At the agency</source>
        <translation>医保端</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="50"/>
        <source>Refused: {0}</source>
        <translation>被拒：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="53"/>
        <source>Uploaded for {0} facilities</source>
        <translation>已上传 {0} 个机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/mapping_models.py" line="53"/>
        <source>Next sync</source>
        <translation>下次同步上传</translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="72"/>
        <source>Class {0} · {1}</source>
        <translation>{0}类 · {1}</translation>
    </message>
</context>
<context>
    <name>PatientPanel</name>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>Enter out-of-area filing…</source>
        <translation>录入异地备案…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>Insured area</source>
        <translation>参保地</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>Your role may not enter filings.</source>
        <translation>您的岗位不能录入异地备案。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>{0} (cannot be told)</source>
        <translation>{0}（无法判断）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>{0} (this pooling area)</source>
        <translation>{0}（本统筹地区）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>{0} (elsewhere; no filing for here on record)</source>
        <translation>{0}（统筹地区外，无本地备案）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>from the agency</source>
        <translation>经办机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>entered from the form</source>
        <translation>凭备案表录入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="0"/>
        <source>{0} (elsewhere); filed: {1}, {2}</source>
        <translation>{0}（统筹地区外）；已备案：{1}，{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="28"/>
        <source>Hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="29"/>
        <source>Diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="51"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="51"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="83"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="84"/>
        <source>Sex and age</source>
        <translation>性别、年龄</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="85"/>
        <source>Scheme</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="86"/>
        <source>Signed with</source>
        <translation>签约机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="87"/>
        <source>Family doctor</source>
        <translation>家庭医生签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="88"/>
        <source>Poverty registered</source>
        <translation>建档立卡贫困人口</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="89"/>
        <source>Chronic diseases</source>
        <translation>门诊慢特病</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="90"/>
        <source>Deductible met</source>
        <translation>起付线已累计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="91"/>
        <source>Cap left this year</source>
        <translation>年度限额剩余</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="92"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="93"/>
        <source>Roster as of</source>
        <translation>名册更新于</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="99"/>
        <source>Swipe, scan or type the card</source>
        <translation>请刷卡、扫码或输入证件号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="108"/>
        <source>Opening the clinic&apos;s records…</source>
        <translation>正在打开本院数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="109"/>
        <source>The card will be checked as soon as the records are open.</source>
        <translation>数据打开后立即核验这张卡。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="115"/>
        <source>Reading the card…</source>
        <translation>正在读卡…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="120"/>
        <source>Check what was typed</source>
        <translation>请核对输入的内容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="141"/>
        <source>Not on the roster: {0}</source>
        <translation>名册中查无此人：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="145"/>
        <source>{0}, age {1}</source>
        <translation>{0}，{1}岁</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="151"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="153"/>
        <source>no cap</source>
        <translation>不设限额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="173"/>
        <source>{0} (see {1} {2})</source>
        <translation>{0}（依据：{1}{2}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="181"/>
        <source>Employee</source>
        <translation>职工医保</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="181"/>
        <source>Resident</source>
        <translation>居民医保</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="182"/>
        <source>policy not in force</source>
        <translation>政策在就诊日不适用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="187"/>
        <source>no signing for employees</source>
        <translation>职工医保无需签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="189"/>
        <source>not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="192"/>
        <source>{0} (this clinic counts through it)</source>
        <translation>{0}（本村卫生室按其签约计）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="193"/>
        <source>{0} (elsewhere)</source>
        <translation>{0}（非本机构）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="197"/>
        <source>no deductible</source>
        <translation>不设起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="203"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="208"/>
        <source>{0} ({1} days ago)</source>
        <translation>{0}（{1}天前）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="35"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="36"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="37"/>
        <source>Not stated</source>
        <translation>未说明</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="128"/>
        <source>Not on the roster: self-pay (自费), never sent to the agency.</source>
        <translation>名册中无此人：按自费就诊，不上传医保。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="134"/>
        <source>Self-pay</source>
        <translation>自费</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="0"/>
        <source>Insured elsewhere, with no out-of-area filing for here: the pool pays nothing</source>
        <translation>异地参保，没有覆盖本地的异地安置或转诊备案：统筹基金不支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="20"/>
        <source>This facility is not designated for this scheme</source>
        <translation>本机构不是该险种的定点机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="21"/>
        <source>Another party is liable for this visit</source>
        <translation>本次费用应由第三方或其他基金承担</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="22"/>
        <source>Inpatients are not covered by the outpatient pool</source>
        <translation>住院病人不纳入门诊统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="23"/>
        <source>Benefits are suspended for this person</source>
        <translation>该参保人待遇已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="24"/>
        <source>Settle under the chronic disease scheme</source>
        <translation>请按门诊慢特病结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="25"/>
        <source>This category of insured is not covered here</source>
        <translation>该类参保人员不适用本门诊统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="26"/>
        <source>Not covered yet (waiting period)</source>
        <translation>尚在待遇等待期，暂不报销</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="27"/>
        <source>Not signed with this facility: the pool pays nothing here</source>
        <translation>未在本机构签约：门诊统筹在此不予支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="30"/>
        <source>This year&apos;s cap is used up</source>
        <translation>本年度统筹限额已用完</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="46"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="47"/>
        <source>Out of scope</source>
        <translation>政策范围外</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="48"/>
        <source>Deductible</source>
        <translation>起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="49"/>
        <source>Fund rate</source>
        <translation>报销比例</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="50"/>
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="51"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="56"/>
        <source>Patient pays</source>
        <translation>个人现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="63"/>
        <source>Quote</source>
        <translation>费用试算</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="43"/>
        <source>Outpatient settlement receipt</source>
        <translation>门诊结算收据</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="51"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="52"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="53"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="54"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="55"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="57"/>
        <source>Out of scope</source>
        <translation>政策范围外</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="58"/>
        <source>Deductible</source>
        <translation>起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="59"/>
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="60"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="61"/>
        <source>Patient pays</source>
        <translation>个人现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="76"/>
        <source>Patient&apos;s signature: {0}</source>
        <translation>患者（家属）签名：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="66"/>
        <source>The agency&apos;s split differs from the counter&apos;s: fund {0}, personal account {1}, cash {2} at the counter.</source>
        <translation>医保经办机构的结算与收费处不同，收费处原按：统筹支付{0}，个人账户{1}，个人现金{2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="82"/>
        <source>The agency&apos;s split</source>
        <translation>医保结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="65"/>
        <source>Waiting for the agency&apos;s settlement: these figures may still change.</source>
        <translation>待医保确认：以上金额可能变动。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="70"/>
        <source> Collected {0} on {1} (settle-up {2}).</source>
        <translation>已于{1}补收{0}（补退费凭证{2}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="71"/>
        <source> Given back {0} on {1} (settle-up {2}).</source>
        <translation>已于{1}退还{0}（补退费凭证{2}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="72"/>
        <source> The patient owes {0} more in cash.</source>
        <translation>患者应补交现金{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="73"/>
        <source> {0} in cash is due back to the patient.</source>
        <translation>应退还患者现金{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="50"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="63"/>
        <source>Agency settlement no.: {0}</source>
        <translation>医保结算号：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="81"/>
        <source>At the counter</source>
        <translation>收费处原结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="75"/>
        <source>Clerk: {0}</source>
        <translation>收费员：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="83"/>
        <source>Collected from the patient: {0} ({1})</source>
        <translation>向患者补收：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="49"/>
        <source>Diagnosis: {0}</source>
        <translation>诊断：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="80"/>
        <source>For settlement no. {0} of {1}; agency settlement no.: {2}</source>
        <translation>原结算号：{0}（{1}）；医保结算号：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="84"/>
        <source>Given back to the patient: {0} ({1})</source>
        <translation>退还患者：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="48"/>
        <source>ID number: {0}</source>
        <translation>身份证号：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="47"/>
        <source>Patient: {0}</source>
        <translation>患者：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="74"/>
        <source>Policy: {0}</source>
        <translation>政策：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="45"/>
        <source>REVERSED: {0}</source>
        <translation>已冲正：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="46"/>
        <source>Receipt no. {0}</source>
        <translation>收据号：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="44"/>
        <source>Self-pay outpatient receipt</source>
        <translation>门诊自费收据</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="62"/>
        <source>Self-pay: not covered by insurance, not sent to the agency.</source>
        <translation>自费：不经医保报销，不上传医保。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="64"/>
        <source>Set aside by the agency: waiting on it; these figures may still change.</source>
        <translation>医保已退回，待处理：以上金额可能变动。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="79"/>
        <source>Settle-up no. {0}</source>
        <translation>凭证号：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="77"/>
        <source>Settle-up receipt: collected</source>
        <translation>补收费用凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="78"/>
        <source>Settle-up receipt: given back</source>
        <translation>退还费用凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="56"/>
        <source>Total in capitals</source>
        <translation>合计（大写）</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="23"/>
        <source>Reverse settlement</source>
        <translation>冲正结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="26"/>
        <source>Reverse settlement {0} of {1}, total {2}? The original stays on record, marked reversed.</source>
        <translation>冲正{1}的第{0}号结算（合计{2}）？原结算单保留，标记为已冲正。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="32"/>
        <source>e.g. wrong item entered</source>
        <translation>例如：录入项目有误</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="36"/>
        <source>Reverse</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="37"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="41"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="67"/>
        <source>Give a reason for the reversal.</source>
        <translation>请填写冲正原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="80"/>
        <source>Give back {0} in cash to the patient.</source>
        <translation>退还患者现金{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="81"/>
        <source>Give back {0} in cash to the patient; {1} goes back to the personal account.</source>
        <translation>退还患者现金{0}；{1}退回个人账户。</translation>
    </message>
</context>
<context>
    <name>SetAsideModel</name>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="54"/>
        <source>Record</source>
        <translation>记录号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="55"/>
        <source>Message</source>
        <translation>交易</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="56"/>
        <source>Settlement</source>
        <translation>结算单</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="57"/>
        <source>Visit date</source>
        <translation>就诊日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="58"/>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="59"/>
        <source>Tries</source>
        <translation>上传次数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="60"/>
        <source>The agency&apos;s reason</source>
        <translation>医保退回原因</translation>
    </message>
</context>
<context>
    <name>SettleUpDialog</name>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="39"/>
        <source>Agency</source>
        <translation>医保结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="61"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="44"/>
        <source>Cash</source>
        <translation>个人现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="54"/>
        <source>Collect {0} in cash from the patient ({1}).</source>
        <translation>向患者补收现金{0}（{1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="59"/>
        <source>Collected: print the receipt</source>
        <translation>已收款，打印凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="38"/>
        <source>Counter</source>
        <translation>收费处原结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="42"/>
        <source>Fund</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="56"/>
        <source>Give back {0} in cash to the patient ({1}).</source>
        <translation>退还患者现金{0}（{1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="59"/>
        <source>Given back: print the receipt</source>
        <translation>已退款，打印凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="96"/>
        <source>Not settled up: {0}</source>
        <translation>未补退：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="88"/>
        <source>Nothing to settle up for settlement {0}.</source>
        <translation>结算单{0}没有需要补退的费用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="43"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="28"/>
        <source>Settle up with the patient</source>
        <translation>与患者补退费用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="33"/>
        <source>Settlement {0} of {1}: the agency booked it as {2} with its own split.</source>
        <translation>{1}的第{0}号结算：医保经办机构已按自己的结算入账（医保结算号{2}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="99"/>
        <source>Settlement {0}: {1} collected from the patient (settle-up {2}).</source>
        <translation>结算单{0}：已向患者补收{1}（补退费凭证{2}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_up_dialog.py" line="101"/>
        <source>Settlement {0}: {1} given back to the patient (settle-up {2}).</source>
        <translation>结算单{0}：已退还患者{1}（补退费凭证{2}）。</translation>
    </message>
</context>
<context>
    <name>SettleGuard</name>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="32"/>
        <source>Confirm the price</source>
        <translation>确认价格</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="34"/>
        <source>{item}: the price is 0.00, free of charge. The catalogue price is {catalogue}.</source>
        <translation>{item}：单价为 0.00，即免费。目录价为 {catalogue}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="38"/>
        <source>{item}: the price typed is {price}, far from the catalogue price of {catalogue}.</source>
        <translation>{item}：录入单价 {price}，与目录价 {catalogue} 相差较大。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="49"/>
        <source>Settle at {price}? The confirmation is kept in the audit log.</source>
        <translation>按 {price} 结算吗？此确认将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="54"/>
        <source>Settle at this price</source>
        <translation>按此价格结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settle_guard.py" line="58"/>
        <source>Change the price</source>
        <translation>返回修改价格</translation>
    </message>
</context>
<context>
    <name>SettlementsModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="219"/>
        <source>No.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="220"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="221"/>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="222"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="223"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="224"/>
        <source>Fund</source>
        <translation>统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="225"/>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="226"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="228"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="247"/>
        <location filename="../../desktop/ui/models.py" line="282"/>
        <source>Reversed: {0}</source>
        <translation>已冲正：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="274"/>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="261"/>
        <source>The agency&apos;s figure; the counter charged {0}</source>
        <translation>医保结算金额；收费处原收{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="292"/>
        <source>Collected {0}</source>
        <translation>已补收{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="294"/>
        <source>Refunded {0}</source>
        <translation>已退还{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="271"/>
        <source>Self-pay</source>
        <translation>自费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="273"/>
        <source>Set aside by the agency: waiting</source>
        <translation>医保退回，待处理</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="227"/>
        <source>Settle-up</source>
        <translation>补退费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="275"/>
        <source>Settled by the agency at its own split</source>
        <translation>已结算（以医保为准）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="296"/>
        <source>To collect {0}</source>
        <translation>应补收{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="298"/>
        <source>To refund {0}</source>
        <translation>应退还{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="272"/>
        <source>Waiting for the agency</source>
        <translation>待医保确认</translation>
    </message>
</context>
<context>
    <name>SettlementsPage</name>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="60"/>
        <source>Reverse… (Ctrl+R)</source>
        <translation>冲正… (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="64"/>
        <source>Your role may not reverse settlements; ask the township clerk.</source>
        <translation>您的角色不能冲正结算，请联系卫生院收费员。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="65"/>
        <source>Reprint receipt (Ctrl+P)</source>
        <translation>补打收据 (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="122"/>
        <source>Could not load the settlements: {0}</source>
        <translation>无法读取结算记录：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="162"/>
        <source>Settlement {0} is already reversed.</source>
        <translation>结算单{0}已冲正。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="172"/>
        <source>Not reversed: {0}</source>
        <translation>未冲正：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="71"/>
        <source>A self-pay patient whose insurance card turned up: settle the visit as insured instead.</source>
        <translation>自费患者后来找到了医保卡：将这次就诊改按医保结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="153"/>
        <source>Only a self-pay settlement that stands can be settled again as insured.</source>
        <translation>只有未冲正的自费结算才能改按医保结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="69"/>
        <source>Settle as insured… (Ctrl+I)</source>
        <translation>改按医保结算… (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="67"/>
        <source>Settle up… (Ctrl+U)</source>
        <translation>补退费… (Ctrl+U)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="174"/>
        <source>Settlement {0} reversed. {1}</source>
        <translation>结算单{0}已冲正。{1}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="28"/>
        <source>Sign in — Clinic counter</source>
        <translation>登录 — 门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="39"/>
        <source>The counter is locked. Sign in again to carry on.</source>
        <translation>收费台已锁定，请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="47"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="49"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="53"/>
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="54"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="99"/>
        <source>Too many wrong passwords. Try again after {0}.</source>
        <translation>密码错误次数过多，请在{0}之后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="101"/>
        <source>Enter your username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="102"/>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="66"/>
        <source>clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="66"/>
        <source>village doctor</source>
        <translation>村医</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="66"/>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="72"/>
        <source>Demo clinic: each password is the same as the username: {0}</source>
        <translation>演示诊所：密码与用户名相同——{0}</translation>
    </message>
</context>
<context>
    <name>SyncModels</name>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="26"/>
        <source>Registration</source>
        <translation>门诊挂号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="27"/>
        <source>Visit details</source>
        <translation>就诊信息上传</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="28"/>
        <source>Fee details</source>
        <translation>费用明细上传</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="29"/>
        <source>Settlement</source>
        <translation>门诊结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="30"/>
        <source>Settlement cancelled</source>
        <translation>结算撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="31"/>
        <source>Reversal</source>
        <translation>冲正交易</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="32"/>
        <source>Registration cancelled</source>
        <translation>挂号撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_models.py" line="33"/>
        <source>Fee details cancelled</source>
        <translation>费用明细撤销</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="122"/>
        <source>No sync has run since the counter opened.</source>
        <translation>本次打开收费程序后尚未同步。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="124"/>
        <source>Sync now (F5)</source>
        <translation>立即同步 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="128"/>
        <source>Set aside by the agency</source>
        <translation>医保退回的记录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="132"/>
        <source>The agency refused these records, or they lack what it needs (a national code for an item, a doctor&apos;s practitioner code). Correct what the reason names, then send them again; the patient&apos;s other records are held back until then, nobody else&apos;s are.</source>
        <translation>医保经办机构拒收了这些记录，或记录缺少医保所需的信息（项目的医保编码、医师的医保医师代码）。请按原因改正后重新上传；在此之前该患者的其他记录暂缓上传，其他人的记录不受影响。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="143"/>
        <source>Send again (Ctrl+R)</source>
        <translation>重新上传 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="148"/>
        <source>Split differently by the agency</source>
        <translation>医保结算与本地不一致</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="152"/>
        <source>The agency&apos;s split is the official one (it knows visits at other clinics). Where the patient paid too much or too little, settle the difference with them.</source>
        <translation>以医保经办机构的结算为准（它掌握患者在其他机构的就诊）。患者多付或少付的，请与患者结清差额。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="206"/>
        <source>Set aside by the agency: {0}</source>
        <translation>医保退回的记录：{0}条</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="207"/>
        <source>Split differently by the agency: {0}</source>
        <translation>医保结算与本地不一致：{0}笔</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="212"/>
        <source>Could not read the sync records: {0}</source>
        <translation>无法读取同步记录：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="219"/>
        <source>Last sync at {0}: {1} messages sent, {2} records waiting.</source>
        <translation>最近一次同步 {0}：本次上传{1}条，待上传{2}条。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="221"/>
        <source>Last sync at {0} stopped: the agency did not answer ({1} messages sent first).</source>
        <translation>最近一次同步 {0} 中断：医保经办机构未应答（此前已上传{1}条）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="239"/>
        <source>the agency: {0} settlements, {1}</source>
        <translation>医保：{0} 笔，{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="243"/>
        <source>the agency: {0}</source>
        <translation>医保：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="246"/>
        <source>Not balanced, {0} {1} {2}: the clinic {3} settlements, {4}; {5}</source>
        <translation>对账不平，{0} 险种/清算地 {1} {2}：本院 {3} 笔，{4}；{5}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="258"/>
        <source>Not syncing: {0}</source>
        <translation>未在同步：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="290"/>
        <source>Choose the corrected records to send again.</source>
        <translation>请先选中已改正、要重新上传的记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="295"/>
        <source>{0} records will be sent again now.</source>
        <translation>{0}条记录即将重新上传。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="269"/>
        <source>{0} records sent again are still waiting to go.</source>
        <translation>重新上传的 {0} 条记录仍在等待上传。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="274"/>
        <source>{0} of the records sent again were refused again: see the agency&apos;s reason above.</source>
        <translation>重新上传的记录中有 {0} 条又被医保退回，退回原因见上表。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="279"/>
        <source>The {0} records sent again were accepted by the agency.</source>
        <translation>重新上传的 {0} 条记录已被医保接收。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="308"/>
        <source>Choose the settlement to settle up.</source>
        <translation>请先选中要补退费的结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_page.py" line="159"/>
        <source>Settle up… (Ctrl+U)</source>
        <translation>补退费… (Ctrl+U)</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="144"/>
        <source>Sync status unavailable: {0}</source>
        <translation>无法读取上传状态：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="148"/>
        <source>↻ Sending…</source>
        <translation>↻ 正在上传…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="150"/>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="152"/>
        <source>○ Offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="152"/>
        <source>○ Offline: {0}</source>
        <translation>○ 离线：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="157"/>
        <source>no agency address configured</source>
        <translation>未配置医保经办机构地址</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="158"/>
        <source>the agency address is not valid</source>
        <translation>医保经办机构地址无效</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="159"/>
        <source>no usable OS keyring for the agency secret</source>
        <translation>本机没有可用的系统密钥库保存接口密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="160"/>
        <source>no agency secret in the OS keyring</source>
        <translation>系统密钥库中没有本机构的接口密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="161"/>
        <source>another sync is running</source>
        <translation>另一个同步正在进行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="162"/>
        <source>the demo agency did not start</source>
        <translation>演示用医保经办机构未能启动</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="163"/>
        <source>the agency does not answer</source>
        <translation>医保经办机构未应答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="164"/>
        <source>sync failed</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="181"/>
        <source>Counting records waiting…</source>
        <translation>正在统计待上传记录…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="184"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="187"/>
        <source>Waiting: {0} · Set aside: {1} · Last success: {2}</source>
        <translation>待上传：{0} · 搁置：{1} · 上次成功：{2}</translation>
    </message>
</context>
<context>
    <name>VisitEntry</name>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="76"/>
        <source>Ph&amp;ysician</source>
        <translation>医生(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="62"/>
        <source>ICD code or name, e.g. J06</source>
        <translation>ICD编码或名称，如 J06</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="75"/>
        <source>Item: code, pinyin initials or name; amx*2 for two</source>
        <translation>项目：编码、拼音首字母或名称；amx*2 表示数量2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="66"/>
        <source>&amp;Diagnosis</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="78"/>
        <source>&amp;Item</source>
        <translation>项目(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="214"/>
        <source>Last diagnosis: Enter keeps it, typing replaces it</source>
        <translation>上次诊断：按回车沿用，直接输入可替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="233"/>
        <source>Nothing in the catalogue matches “{0}”.</source>
        <translation>目录中没有与“{0}”匹配的项目。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="330"/>
        <source>Quantity: {0} is not a number</source>
        <translation>数量：{0} 不是数字</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="331"/>
        <source>Quantity: {0} must be more than 0 and at most 999</source>
        <translation>数量：{0} 须大于 0 且不超过 999</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="332"/>
        <source>Quantity: {0} has more than 3 decimals</source>
        <translation>数量：{0} 超过 3 位小数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="334"/>
        <source>Price: {0} is not an amount</source>
        <translation>单价：{0} 不是金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="335"/>
        <source>Price: {0} cannot be less than zero</source>
        <translation>单价：{0} 不能小于零</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="336"/>
        <source>Price: {0} has more than two decimals (whole fen)</source>
        <translation>单价：{0} 超过两位小数（须精确到分）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="333"/>
        <source>Quantity: {0} will not do, {1} is sold only in whole {2}</source>
        <translation>数量 {0} 不行：{1}只能按整{2}出售</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="339"/>
        <source>units</source>
        <translation>单位</translation>
    </message>
</context>
<context>
    <name>VisitLinesModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="118"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="118"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="118"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="118"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="118"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="119"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181"/>
        <source>A</source>
        <translation>甲类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181"/>
        <source>B</source>
        <translation>乙类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181"/>
        <source>C (self-pay)</source>
        <translation>丙类（自费）</translation>
    </message>
</context>
<context>
    <name>AlertModel</name>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="76"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="77"/>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="78"/>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="79"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="80"/>
        <source>What it says</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="81"/>
        <source>Source</source>
        <translation>依据</translation>
    </message>
</context>
<context>
    <name>FundPage</name>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="112"/>
        <source>Export as PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="112"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="114"/>
        <source>Export workbook…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="126"/>
        <source>Jan</source>
        <translation>1月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="127"/>
        <source>Feb</source>
        <translation>2月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="128"/>
        <source>Mar</source>
        <translation>3月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="129"/>
        <source>Apr</source>
        <translation>4月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="130"/>
        <source>May</source>
        <translation>5月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="131"/>
        <source>Jun</source>
        <translation>6月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="132"/>
        <source>Jul</source>
        <translation>7月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="133"/>
        <source>Aug</source>
        <translation>8月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="134"/>
        <source>Sep</source>
        <translation>9月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="135"/>
        <source>Oct</source>
        <translation>10月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="136"/>
        <source>Nov</source>
        <translation>11月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="137"/>
        <source>Dec</source>
        <translation>12月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="139"/>
        <source>Budget {amount}</source>
        <translation>年度预算 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="140"/>
        <source>Spent</source>
        <translation>实际发生</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="141"/>
        <source>Projected {amount}</source>
        <translation>预计全年 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="142"/>
        <source>Monthly ceiling or advance</source>
        <translation>月预结算额度/月预付额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="143"/>
        <source>Paid by the agency</source>
        <translation>经办机构拨付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="144"/>
        <source>Month by month</source>
        <translation>逐月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="145"/>
        <source>Reading the fund…</source>
        <translation>正在读取基金数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="161"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="168"/>
        <source>Budget for the year</source>
        <translation>年度预算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="169"/>
        <source>Spent so far</source>
        <translation>已发生</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="170"/>
        <source>Projected for the year</source>
        <translation>预计全年</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="171"/>
        <source>Year-end band it is heading for</source>
        <translation>预计年终档次</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="172"/>
        <source>This month&apos;s ceiling or advance</source>
        <translation>本月额度（预结算额度/预付额）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="173"/>
        <source>This month: spent and paid</source>
        <translation>本月发生与拨付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="181"/>
        <source>Early warnings (洪府办发〔2022〕93号 第四十一条)</source>
        <translation>监控预警（洪府办发〔2022〕93号 第四十一条）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="212"/>
        <source>Checking the visits…</source>
        <translation>正在检查就诊数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="229"/>
        <source>No capitation fund to show: {0}</source>
        <translation>没有可显示的门诊统筹基金：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="231"/>
        <source>The fund could not be read: {0}</source>
        <translation>无法读取基金数据：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="245"/>
        <source>{0}: {1} warnings (so far); {2}: {3} warnings</source>
        <translation>{0}：预警 {1} 条（截至目前）；{2}：预警 {3} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="252"/>
        <source>The warnings could not be worked out: {0}</source>
        <translation>无法计算预警：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="266"/>
        <source>{name} · {policy}: {persons} persons signed in {year}</source>
        <translation>{name} · {policy}：{year}年签约 {persons} 人</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="281"/>
        <source>no month has ended yet</source>
        <translation>尚无已结束的月份</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="289"/>
        <source>quarterly advance {0}</source>
        <translation>季度预拨 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="292"/>
        <source>spent {0}, paid {1}</source>
        <translation>发生 {0}，拨付 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="299"/>
        <source>{0} ({1}% of the budget)</source>
        <translation>{0}（占预算 {1}%）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="303"/>
        <source>below 80%: paid what was spent</source>
        <translation>低于80%：据实结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="304"/>
        <source>80% to 90%: what was spent and half the unused budget</source>
        <translation>80%（含）至90%：据实结算，另付未使用部分的50%</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="305"/>
        <source>90% and above: the budget, no more</source>
        <translation>90%（含）以上：按预算额度结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="306"/>
        <source>80% to 100%: the saving is the centre&apos;s reward</source>
        <translation>80%（含）至100%：节余奖励给本院</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="307"/>
        <source>over the budget: the overspend is the centre&apos;s</source>
        <translation>超过预算：超支部分由本院承担</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="309"/>
        <source>no bands: the surplus rolls over</source>
        <translation>不分档：结余滚存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="337"/>
        <source>The fund has not been read yet.</source>
        <translation>尚未读取基金数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="343"/>
        <source>Budget used against the months</source>
        <translation>年度预算使用情况</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="354"/>
        <source>Save as workbook</source>
        <translation>保存为 Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="354"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="369"/>
        <source>Written to {0}</source>
        <translation>已写入 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/fund_page.py" line="371"/>
        <source>Could not write: {0}</source>
        <translation>无法写入：{0}</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="64"/>
        <source>Give the patient&apos;s name for the ledger.</source>
        <translation>请填写患者姓名，台账须记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="45"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="46"/>
        <source>&amp;Phone</source>
        <translation>联系电话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="51"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="48"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="32"/>
        <source>Not on the roster: the visit is paid in full in cash and never sent to the agency. The ledger keeps the name, and the phone number if given.</source>
        <translation>名册中无此人：本次就诊费用全部由患者现金支付，不上传医保。台账只记录姓名，以及患者愿意留下的联系电话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="27"/>
        <source>Self-pay visit</source>
        <translation>自费就诊</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="50"/>
        <source>Start the visit</source>
        <translation>开始就诊</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/walk_in_dialog.py" line="41"/>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
</context>
<context>
    <name>DoctorChoice</name>
    <message>
        <location filename="../../desktop/ui/doctor_choice.py" line="66"/>
        <source>No practising doctor: an administrator must enter the practitioner code (医保医师代码)</source>
        <translation>无执业医师：请管理员录入医保医师代码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor_choice.py" line="69"/>
        <source>Choose the diagnosing doctor</source>
        <translation>请选择接诊医生</translation>
    </message>
</context>
<context>
    <name>FilingDialog</name>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Out-of-area filing</source>
        <translation>异地备案</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>{0} is insured in {1}. Copy the filing form the patient brought.</source>
        <translation>{0}的参保地是{1}。请照患者带来的备案表录入。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Relocation (异地安置)</source>
        <translation>异地安置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Referral (转诊备案)</source>
        <translation>转诊备案</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>division code on the form, e.g. 360100</source>
        <translation>备案表上的区划代码，如 360100</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>No end date</source>
        <translation>长期有效</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>the form&apos;s number</source>
        <translation>备案表编号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Record</source>
        <translation>录入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>&amp;Kind</source>
        <translation>备案类别(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>&amp;Place</source>
        <translation>备案地(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Valid &amp;from</source>
        <translation>开始日期(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Valid &amp;until</source>
        <translation>截止日期(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>Form &amp;number</source>
        <translation>表单编号(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>The place must be the six-digit division code on the form, like 360100.</source>
        <translation>备案地须填写备案表上的六位区划代码，如 360100。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>The filing cannot end before it begins.</source>
        <translation>截止日期不能早于开始日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filing_dialog.py" line="0"/>
        <source>The form&apos;s number is too long.</source>
        <translation>备案表编号太长。</translation>
    </message>
</context>
</TS>
