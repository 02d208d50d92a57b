<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DayCloseView</name>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="1"/>
        <source>Audit chain head (keep it off this computer, for clinic-pos audit verify --head):</source>
        <translation>审计链头（请抄存于本机之外，供 clinic-pos audit verify --head 核对）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="1"/>
        <source>Audit chain head: {head}</source>
        <translation>审计链头：{head}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="1"/>
        <source>Backed up to {path}</source>
        <translation>已备份到 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="1"/>
        <source>The day close&apos;s backup failed: {error}</source>
        <translation>日结备份失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="67"/>
        <source>Export as PDF…</source>
        <translation>导出为 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="67"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="90"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="98"/>
        <location filename="../../desktop/ui/day_close_view.py" line="152"/>
        <source>By scheme</source>
        <translation>按险种</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="99"/>
        <location filename="../../desktop/ui/day_close_view.py" line="153"/>
        <source>By payer</source>
        <translation>按支付方</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="100"/>
        <location filename="../../desktop/ui/day_close_view.py" line="154"/>
        <source>Reversals (冲正) made this day</source>
        <translation>当日冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="124"/>
        <source>{facility}, {day}: {settled} settled, {reversed} reversed · net {net} (fund {fund}, personal account {account}, cash {cash})</source>
        <translation>{facility}，{day}：结算 {settled} 笔，冲正 {reversed} 笔 · 净额 {net}（统筹 {fund}，个人账户 {account}，现金 {cash}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="150"/>
        <source>Day close (日结), {day}</source>
        <translation>日结单，{day}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="158"/>
        <source>Closed by: {staff}    Checked by: ____________________</source>
        <translation>结账人：{staff}    复核人：____________________</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/day_close_view.py" line="160"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <source>The drawer should hold {drawer}; settle-ups owed: collect {collect}, give back {give_back}</source>
        <translation>钱箱应有现金 {drawer}；待补退：应补收 {collect}，应退还 {give_back}</translation>
    </message>
    <message>
        <source>Waiting for the agency {waiting}, split otherwise {differs}, set aside {set_aside} ({set_aside_total}, not counted)</source>
        <translation>待医保确认 {waiting} 笔，医保改判 {differs} 笔，医保退回 {set_aside} 笔（{set_aside_total}，不计入）</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>钱箱</translation>
    </message>
    <message>
        <source>Reversals (冲正) made this day: {0}</source>
        <translation>当日冲正：{0}</translation>
    </message>
    <message>
        <source>Set aside by the agency (not counted)</source>
        <translation>医保退回（不计入）</translation>
    </message>
    <message>
        <source>Set aside by the agency: {0}</source>
        <translation>医保退回：{0}</translation>
    </message>
    <message>
        <source>Settle-ups (补收 / 退费)</source>
        <translation>补收 / 退费</translation>
    </message>
    <message>
        <source>Settle-ups: {0} done, {1} owed</source>
        <translation>补退费：已办 {0}，待办 {1}</translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="353"/>
        <source>No printer is set up on this computer; export a PDF instead.</source>
        <translation>本机未设置打印机，请导出 PDF。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="368"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="368"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="378"/>
        <source>Writing {name}…</source>
        <translation>正在写入 {name}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="398"/>
        <source>Sending to the printer…</source>
        <translation>正在发送到打印机…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="417"/>
        <source>Page %v of %m</source>
        <translation>第 %v 页，共 %m 页</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="423"/>
        <source>{pages} pages written to {where}</source>
        <translation>已写入 {pages} 页：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pdf_export.py" line="428"/>
        <source>Could not write the pages: {problem}</source>
        <translation>未能写出：{problem}</translation>
    </message>
</context>
<context>
    <name>LedgerTableModel</name>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="93"/>
        <source>Date</source>
        <translation>就诊日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="94"/>
        <source>Clinic</source>
        <translation>机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="95"/>
        <source>Head of household</source>
        <translation>户主姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="96"/>
        <source>Patient</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="97"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="98"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="99"/>
        <source>Preliminary diagnosis</source>
        <translation>初步诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="100"/>
        <source>Total</source>
        <translation>医药总费用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="101"/>
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="102"/>
        <source>Patient pays</source>
        <translation>患者自付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="103"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="104"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="105"/>
        <source>Settlement no.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="106"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="110"/>
        <source>✔ Signed</source>
        <translation>✔ 已签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="110"/>
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="113"/>
        <source>Reversed: {reason}</source>
        <translation>已冲正：{reason}</translation>
    </message>
    <message>
        <source>The agency&apos;s split; counter: fund {fund}, patient {patient}</source>
        <translation>以医保结算为准；收费处原按统筹 {fund}，患者自付 {patient}</translation>
    </message>
    <message>
        <source>Self-pay</source>
        <translation>自费</translation>
    </message>
    <message>
        <source>Set aside by the agency: not counted</source>
        <translation>医保退回，待处理，不计入</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="76"/>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="77"/>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="84"/>
        <source>Include village clinics</source>
        <translation>含所辖村卫生室</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="87"/>
        <source>Filter: name, last digits of the ID number, or diagnosis</source>
        <translation>筛选：姓名、证件号尾号或诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="110"/>
        <source>Take signature…</source>
        <translation>采集签名…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="115"/>
        <source>Export month as PDF…</source>
        <translation>导出本月 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="116"/>
        <source>Print month…</source>
        <translation>打印本月…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="127"/>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="128"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="129"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="206"/>
        <source>{visits} visits ({reversed} reversed, not counted) · total {total} · fund pays {fund} · patient pays {patient} · signed {signed} of {visits}</source>
        <translation>{visits} 人次（另有冲正 {reversed} 笔，不计入）· 总费用 {total} · 统筹支付 {fund} · 患者自付 {patient} · 已签名 {signed}/{visits}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="273"/>
        <source>The signature was not kept: {problem}</source>
        <translation>签名未保存：{problem}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="275"/>
        <source>Signature kept for {patient}.</source>
        <translation>已保存 {patient} 的签名。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="302"/>
        <source>Outpatient ledger (门诊台账), {month}</source>
        <translation>门诊台账，{month}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="304"/>
        <source> — ID numbers masked: not the copy for filing</source>
        <translation> — 证件号码已隐去，不作归档用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="306"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="307"/>
        <source>Date</source>
        <translation>就诊日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="308"/>
        <source>Head of household</source>
        <translation>户主姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="309"/>
        <source>Patient</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="310"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="311"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="312"/>
        <source>Preliminary diagnosis</source>
        <translation>初步诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="313"/>
        <source>Total</source>
        <translation>医药总费用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="314"/>
        <source>Fund pays</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="315"/>
        <source>Patient pays</source>
        <translation>患者自付</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="316"/>
        <source>Signature of patient or family</source>
        <translation>患者（或家属）签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="317"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="318"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="321"/>
        <source>Clinic</source>
        <translation>机构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="325"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="329"/>
        <source>Visits: {visits}; reversed (not counted): {reversed}</source>
        <translation>就诊 {visits} 人次；冲正（不计入）{reversed} 笔</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="331"/>
        <source>Total {total}; fund pays {fund}; patient pays {patient} (personal account {account}, cash {cash})</source>
        <translation>医药总费用 {total}；统筹支付 {fund}；患者自付 {patient}（个人账户 {account}，现金 {cash}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_view.py" line="333"/>
        <source>Kept by (signature): ____________________    Checked by: ____________________</source>
        <translation>登记人（签名）：____________________    审核人：____________________</translation>
    </message>
    <message>
        <source> · self-pay {self_pay} · waiting for the agency {waiting} · split otherwise by the agency {differs} · set aside by the agency {set_aside} (not counted)</source>
        <translation> · 自费 {self_pay} · 待医保确认 {waiting} · 医保改判 {differs} · 医保退回 {set_aside}（不计入）</translation>
    </message>
    <message>
        <source>Of the visits, self-pay: {self_pay}; set aside by the agency, waiting on it (not counted): {set_aside}</source>
        <translation>其中自费 {self_pay} 人次；医保退回待处理（不计入）{set_aside} 笔</translation>
    </message>
</context>
<context>
    <name>PayerModel</name>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="149"/>
        <source>Payer</source>
        <translation>支付方</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="150"/>
        <source>Settled</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="151"/>
        <source>Reversed</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="152"/>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="161"/>
        <source>Pooling fund</source>
        <translation>统筹基金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="162"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="163"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="164"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>ReversalModel</name>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="173"/>
        <source>Reversed at</source>
        <translation>冲正时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="174"/>
        <source>Settlement no.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="175"/>
        <source>Settled on</source>
        <translation>结算日期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="176"/>
        <source>Patient</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="177"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="178"/>
        <source>Reversed by</source>
        <translation>冲正人</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="179"/>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="180"/>
        <source>Fund</source>
        <translation>统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="181"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="182"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="187"/>
        <source>{day} (earlier day)</source>
        <translation>{day}（往日）</translation>
    </message>
    <message>
        <source>Cash given back</source>
        <translation>退还现金</translation>
    </message>
</context>
<context>
    <name>SchemeModel</name>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="132"/>
        <source>Scheme</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="133"/>
        <source>Policy version</source>
        <translation>政策文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="134"/>
        <source>Settled</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="135"/>
        <source>Reversed</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="136"/>
        <source>Net total</source>
        <translation>净额合计</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="137"/>
        <source>Fund</source>
        <translation>统筹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="138"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/ledger_models.py" line="139"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <location filename="../../desktop/ui/signature_pad.py" line="154"/>
        <source>Signature</source>
        <translation>患者签名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/signature_pad.py" line="156"/>
        <source>{patient}: the patient or a family member signs below.</source>
        <translation>{patient}：请患者或家属在下方签名。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/signature_pad.py" line="159"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/signature_pad.py" line="160"/>
        <source>Accept signature</source>
        <translation>确认签名</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../desktop/ui/signature_pad.py" line="39"/>
        <source>Signature pad</source>
        <translation>签名板</translation>
    </message>
</context>
<context>
    <name>DrawerModel</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>钱箱</translation>
    </message>
    <message>
        <source>Collected by settle-ups (补收)</source>
        <translation>补收</translation>
    </message>
    <message>
        <source>Given back at reversals</source>
        <translation>冲正退还</translation>
    </message>
    <message>
        <source>Given back by settle-ups (退费)</source>
        <translation>退费</translation>
    </message>
    <message>
        <source>Taken at settlements</source>
        <translation>结算收取</translation>
    </message>
    <message>
        <source>The drawer should hold</source>
        <translation>钱箱应有现金</translation>
    </message>
</context>
<context>
    <name>DayCloseSetAsideModel</name>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Fund</source>
        <translation>统筹</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Settled at</source>
        <translation>结算时间</translation>
    </message>
    <message>
        <source>Settlement no.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Waiting for the agency</source>
        <translation>待医保处理</translation>
    </message>
</context>
<context>
    <name>SettleUpModel</name>
    <message>
        <source>Agency settlement no.</source>
        <translation>医保结算号</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Collect (+) / give back (-)</source>
        <translation>补收(+)/退还(-)</translation>
    </message>
    <message>
        <source>Done at {time}</source>
        <translation>已办 {time}</translation>
    </message>
    <message>
        <source>Owed (settled {day})</source>
        <translation>待办（{day}结算）</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <source>Settlement no.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
</TS>
