<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CounterPage</name>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="53" />
        <source>Swipe or scan the card, or type the ID number, then Enter</source>
        <translation>刷卡、扫码或输入身份证号，按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="61" />
        <source>Settle (F12)</source>
        <translation>结算 (F12)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="67" />
        <source>&amp;Card</source>
        <translation>卡号(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="167" />
        <source>Not settled: {0}</source>
        <translation>未结算：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/counter_page.py" line="182" />
        <source>No. {0} settled for {1}: total {2}, fund {3}, account {4}, patient pays {5}. Ctrl+P prints it.</source>
        <translation>第{0}号已结算（{1}）：合计{2}，统筹支付{3}，个人账户{4}，个人现金{5}。按 Ctrl+P 打印收据。</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="75" />
        <source>Clinic counter</source>
        <translation>门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="77" />
        <source>Locked. Sign in to carry on.</source>
        <translation>已锁定，请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="116" />
        <source>Counter</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="133" />
        <source>Today's settlements</source>
        <translation>今日结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="135" />
        <source>Ledger</source>
        <translation>门诊台账</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="135" />
        <source>Day close</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="163" />
        <source>This page could not be opened: {0}</source>
        <translation>此页面无法打开：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="168" />
        <source>Opening the clinic's records…</source>
        <translation>正在打开本院数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="169" />
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="169" />
        <source>Village doctor</source>
        <translation>村医</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="169" />
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="170" />
        <source>{0} ({1}) · {2}</source>
        <translation>{0}（{1}）· {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="181" />
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="182" />
        <source>Print receipt</source>
        <translation>打印收据</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="183" />
        <source>Next patient</source>
        <translation>下一位</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="184" />
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="186" />
        <source>Page {0}</source>
        <translation>第{0}页</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="220" />
        <source>Settlement {0} saved.</source>
        <translation>结算单{0}已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="235" />
        <source>Receipt {0} sent to the printer.</source>
        <translation>收据{0}已送打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="238" />
        <source>No printer: receipt {0} saved as {1}</source>
        <translation>没有打印机：收据{0}已存为 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="253" />
        <source>Could not load the catalogue: {0}</source>
        <translation>无法读取目录：{0}</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="89" />
        <source>Setting up a demo clinic to try the counter…</source>
        <translation>正在建立演示卫生院，请稍候…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="91" />
        <source>Clinic counter</source>
        <translation>门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="103" />
        <source>Could not start: {0}</source>
        <translation>无法启动：{0}</translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="59" />
        <source>Class {0} · {1}</source>
        <translation>{0}类 · {1}</translation>
    </message>
</context>
<context>
    <name>PatientPanel</name>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="27" />
        <source>Hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="28" />
        <source>Diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="38" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="38" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="70" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="71" />
        <source>Sex and age</source>
        <translation>性别、年龄</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="72" />
        <source>Scheme</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="73" />
        <source>Signed with</source>
        <translation>签约机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="74" />
        <source>Family doctor</source>
        <translation>家庭医生签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="75" />
        <source>Poverty registered</source>
        <translation>建档立卡贫困人口</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="76" />
        <source>Chronic diseases</source>
        <translation>门诊慢特病</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="77" />
        <source>Deductible met</source>
        <translation>起付线已累计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="78" />
        <source>Cap left this year</source>
        <translation>年度限额剩余</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="79" />
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="80" />
        <source>Roster as of</source>
        <translation>名册更新于</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="86" />
        <source>Swipe, scan or type the card</source>
        <translation>请刷卡、扫码或输入证件号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="95" />
        <source>Opening the clinic's records…</source>
        <translation>正在打开本院数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="96" />
        <source>The card will be checked as soon as the records are open.</source>
        <translation>数据打开后立即核验这张卡。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="102" />
        <source>Check what was typed</source>
        <translation>请核对输入的内容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="111" />
        <source>Not on the roster: {0}</source>
        <translation>名册中查无此人：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="115" />
        <source>{0}, age {1}</source>
        <translation>{0}，{1}岁</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="121" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="123" />
        <source>no cap</source>
        <translation>不设限额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="141" />
        <source>{0} (see {1} {2})</source>
        <translation>{0}（依据：{1}{2}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="149" />
        <source>Employee</source>
        <translation>职工医保</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="149" />
        <source>Resident</source>
        <translation>居民医保</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="150" />
        <source>policy not in force</source>
        <translation>政策在就诊日不适用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="155" />
        <source>no signing for employees</source>
        <translation>职工医保无需签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="157" />
        <source>not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="160" />
        <source>{0} (this clinic counts through it)</source>
        <translation>{0}（本村卫生室按其签约计）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="161" />
        <source>{0} (elsewhere)</source>
        <translation>{0}（非本机构）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="165" />
        <source>no deductible</source>
        <translation>不设起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="171" />
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/patient_panel.py" line="176" />
        <source>{0} ({1} days ago)</source>
        <translation>{0}（{1}天前）</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="20" />
        <source>This facility is not designated for this scheme</source>
        <translation>本机构不是该险种的定点机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="21" />
        <source>Another party is liable for this visit</source>
        <translation>本次费用应由第三方或其他基金承担</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="22" />
        <source>Inpatients are not covered by the outpatient pool</source>
        <translation>住院病人不纳入门诊统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="23" />
        <source>Benefits are suspended for this person</source>
        <translation>该参保人待遇已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="24" />
        <source>Settle under the chronic disease scheme</source>
        <translation>请按门诊慢特病结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="25" />
        <source>This category of insured is not covered here</source>
        <translation>该类参保人员不适用本门诊统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="26" />
        <source>Not covered yet (waiting period)</source>
        <translation>尚在待遇等待期，暂不报销</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="27" />
        <source>Not signed with this facility: the pool pays nothing here</source>
        <translation>未在本机构签约：门诊统筹在此不予支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="30" />
        <source>This year's cap is used up</source>
        <translation>本年度统筹限额已用完</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="46" />
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="47" />
        <source>Out of scope</source>
        <translation>政策范围外</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="48" />
        <source>Deductible</source>
        <translation>起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="49" />
        <source>Fund rate</source>
        <translation>报销比例</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="50" />
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="51" />
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="56" />
        <source>Patient pays</source>
        <translation>个人现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quote_panel.py" line="63" />
        <source>Quote</source>
        <translation>费用试算</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="42" />
        <source>Outpatient settlement receipt</source>
        <translation>门诊结算收据</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="43" />
        <source>REVERSED</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="44" />
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="45" />
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="46" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="47" />
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="48" />
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="49" />
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="50" />
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="51" />
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="52" />
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="53" />
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="54" />
        <source>Patient's signature</source>
        <translation>患者（家属）签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="63" />
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="64" />
        <source>Out of scope</source>
        <translation>政策范围外</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="65" />
        <source>Deductible</source>
        <translation>起付线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="66" />
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="67" />
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/receipt.py" line="68" />
        <source>Patient pays</source>
        <translation>个人现金</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="16" />
        <source>Reverse settlement</source>
        <translation>冲正结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="19" />
        <source>Reverse settlement {0} of {1}, total {2}? The original stays on record, marked reversed.</source>
        <translation>冲正{1}的第{0}号结算（合计{2}）？原结算单保留，标记为已冲正。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="24" />
        <source>e.g. wrong item entered</source>
        <translation>例如：录入项目有误</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="28" />
        <source>Reverse</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="29" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="33" />
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reverse_dialog.py" line="44" />
        <source>Give a reason for the reversal.</source>
        <translation>请填写冲正原因。</translation>
    </message>
</context>
<context>
    <name>SettlementsModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="181" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181" />
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181" />
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="181" />
        <source>Fund</source>
        <translation>统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="182" />
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="182" />
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="182" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="202" />
        <source>Reversed: {0}</source>
        <translation>已冲正：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="216" />
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="216" />
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
</context>
<context>
    <name>SettlementsPage</name>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="48" />
        <source>Reverse… (Ctrl+R)</source>
        <translation>冲正… (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="52" />
        <source>Your role may not reverse settlements; ask the township clerk.</source>
        <translation>您的角色不能冲正结算，请联系卫生院收费员。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="53" />
        <source>Reprint receipt (Ctrl+P)</source>
        <translation>补打收据 (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="82" />
        <source>Could not load the settlements: {0}</source>
        <translation>无法读取结算记录：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="98" />
        <source>Settlement {0} is already reversed.</source>
        <translation>结算单{0}已冲正。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="108" />
        <source>Not reversed: {0}</source>
        <translation>未冲正：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settlements_page.py" line="110" />
        <source>Settlement {0} reversed.</source>
        <translation>结算单{0}已冲正。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="19" />
        <source>Sign in — Clinic counter</source>
        <translation>登录 — 门诊收费</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="29" />
        <source>Locked after a while without use. Sign in again to carry on.</source>
        <translation>长时间未操作已锁定，请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="35" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="37" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="41" />
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="42" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="67" />
        <source>Too many wrong passwords. Try again after {0}.</source>
        <translation>密码错误次数过多，请在{0}之后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="69" />
        <source>Enter your username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="70" />
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="92" />
        <source>Sync status unavailable: {0}</source>
        <translation>无法读取上传状态：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="95" />
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="95" />
        <source>○ Offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="101" />
        <source>Counting records waiting…</source>
        <translation>正在统计待上传记录…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="104" />
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_status.py" line="107" />
        <source>Waiting: {0} · Set aside: {1} · Last success: {2}</source>
        <translation>待上传：{0} · 搁置：{1} · 上次成功：{2}</translation>
    </message>
</context>
<context>
    <name>VisitEntry</name>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="55" />
        <source>ICD code or name, e.g. J06</source>
        <translation>ICD编码或名称，如 J06</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="65" />
        <source>Item: code, pinyin initials or name; amx*2 for two</source>
        <translation>项目：编码、拼音首字母或名称；amx*2 表示数量2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="95" />
        <source>&amp;Diagnosis</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="96" />
        <source>&amp;Item</source>
        <translation>项目(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="152" />
        <source>Nothing in the catalogue matches “{0}”.</source>
        <translation>目录中没有与“{0}”匹配的项目。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_entry.py" line="226" />
        <source>Quantity: {0}</source>
        <translation>数量：{0}</translation>
    </message>
</context>
<context>
    <name>VisitLinesModel</name>
    <message>
        <location filename="../../desktop/ui/models.py" line="98" />
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="98" />
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="98" />
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="98" />
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="98" />
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="99" />
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="130" />
        <source>A</source>
        <translation>甲类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="130" />
        <source>B</source>
        <translation>乙类</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/models.py" line="130" />
        <source>C (self-pay)</source>
        <translation>丙类（自费）</translation>
    </message>
</context>
</TS>
