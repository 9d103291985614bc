"""What a clause asks of the worker: 禁止, 許可・承認が必要, 義務, 励行, or 規定 (nothing).

The rules are those a compliance reader applies (../shared/eval/verdict_rules.md), in order:
the main rule is the first sentence that asks something of the contractor (a following
ただし belongs to it; later なお / また sentences do not change it); the city's own rights,
definitions, scope, liability and contract machinery ask nothing (規定); an approval route
in the unit makes a prohibition 許可・承認が必要; effort beats a negation inside it; a
negation inside something the worker must do stays a duty; a bare list item takes the
label its lead-in gives its items. Polite wording (…してください, …しません, …します) is read as
its plain form first, so です・ます specifications and staff handbooks get the same labels.

The wording lives in the pattern table below so a reviewer can read it in one place;
``judge`` returns the label with the reason, which ``mamoru kb show`` prints.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.textnorm import to_int

PROHIBITED = "prohibited"
APPROVAL = "approval"
REQUIRED = "required"
ENCOURAGED = "encouraged"
INFO = "info"

# One line a worker reads first (polite Japanese).
LINES = {
    PROHIBITED: "禁止されています。",
    APPROVAL: "原則として認められず、市（甲）の許可・承認を得た場合に限り認められます。",
    REQUIRED: "必ず守る義務があります。",
    ENCOURAGED: "励行（必ず心がけること）が求められています。",
    INFO: "次の規定があります。",
}
LABELS = {PROHIBITED: "禁止", APPROVAL: "許可・承認が必要", REQUIRED: "義務", ENCOURAGED: "励行", INFO: "規定"}

# --- the wording, one pattern per idea -------------------------------------------------------

# Who grants or is the subject when the city speaks of itself.
_CITY = (r"(?:甲|乙及び甲|本市|当市|市|本町|当町|町|本村|村|本県|県|本区|区|本都|都|本府|府|北海道|発注者|委託者|病院|当院|本院|選管|"
         # the city's own institution as the client (「図書館は、…通知するものとします。」)
         r"図書館|美術館|博物館|公民館|保健所|館長|校長|学校長|"
         r"[一-龥ヶ]{1,5}(?:市|町|村|区|県|都|府)(?:長)?|[一-龥]{0,6}局|市長|町長|村長|知事|教育委員会|委員会|監督員|監督職員|所管課|担当課)")
# A sentence whose subject is the city: its rights and duties ask nothing of the worker.
# (a table row read as 「公表: 市は、…」: its label first)
_CITY_SUBJECT = re.compile(rf"^(?:[^、。:：]{{1,12}}[:：]\s*)?(?:[^、。]{{0,40}}(?:場合|とき)(?:に(?:おいて)?|で)?は?、)?"
                           # 「事故の報告を受けた市は、…」: the city named by what it did
                           # (not 「市が行う立入検査に協力すること。」: 市が行う only names whose the act is, the duty is the worker's)
                           rf"(?:[^、。]{{1,20}}?(?<=[たる]))?{_CITY}(?:は|において(?:は)?|が行う(?![一-龥ァ-ヶ][^。]*(?:こと|ならない)。?$)|の責任|"
                           # 「見直したときは、市から受託者に通知します。」: what the city does, to the contractor
                           r"から[^、。]{0,10}に[^、。]{0,20}?(?<=[一-龥])する。?$)")
# 「報告の様式は、市が別に定める。」「アカウントは、市が従事者ごとに発行する。」「事故の公表は市が行う。」: the city acts
# (not 「書類は、市が指定する方法で廃棄すること。」, where the city only names the way and the contractor must act).
_CITY_AGENT = re.compile(rf"^[^、。]{{1,20}}は、?{_CITY}が[^。]*[^とい]。?$")
# 「相談記録は、市が指定するシステムにのみ保存するものとする。」「訪問するときは、市が発行する証明書を携帯する。」: 市が only
# names the thing (市が指定する…, 市が発行する…), the act is the worker's (rule 9, …ものとする for the contractor's own act,
# a plain …する。 used as a rule); not when another subject acts after it (「…は、市が指定する職員が確認する。」), nor when
# the predicate is the writer's humble act (「このページでは、市が委託する業務の…をお知らせします。」)
_CITY_NAMES_THING = re.compile(rf"^[^、。]{{1,20}}は、?{_CITY}が[^、。]{{0,8}}?(?:する|した|める|めた)(?=[一-龥ァ-ヶ])"
                               r"(?:[^。]*ものとする|(?![^。]*(?<![一-龥])お[一-龥]{1,2}[ぁ-ゖ]{0,2}する。?$)[^。が]*する)。?$")
# 「表の記号は、○が…、×が…を示します。」: what a sign or word stands for (a definition, rule 2), not the worker's
# act of showing (「受託者は、…身分証明書を示す。」「…を示すこと。」)
# (「示します」 reads 示する)
# (not 「訪問時は職員証を示す。」: showing one's card is an act)
_INDICATES = re.compile(r"(?<![証書票ド])を(?:示す|示する|表す|表する|意味する)(?:もの(?:とする|である))?。?$")
_RULE_END = re.compile(r"(?:こと|ならない|なければ|ない|よう|限る|限り)。?$")
_DEFINITION = re.compile(r"(?:(?<!こ)とは、|をいう。?$|をいい、|のことをいう|[^すしいくるれせてな]のこと。?$|のことである|と称する|と定義する"
                         # 「…使用する用語の意義は、次のとおりとする。」: the lead-in of the definitions
                         r"|(?:用語|語句)の(?:意義|定義|意味)は、[^。]*(?:とおり|通り)(?:とする|である)?。?$"
                         # what counts as what (「通話の録音も個人情報に当たります。」)
                         r"|(?:に当たる|に該当する|に含まれる)(?:もの(?:とする)?)?。?$"
                         # 「表中の「館長」には、館長が指名した職員を含む。」: what a word covers
                         r"|^[^、。]{1,30}には、[^。]*を含む(?:もの(?:とする)?)?。?$)")
_SCOPE = re.compile(
    r"(?:^【目的】|ために用いる(?:もの(?:である|とする))?。?$|(?:について|において|に|として)も?適用(?:する|される)(?:ものとする)?。?$|^(?:この|本)[^、。]{0,12}(?:事項|仕様書|規定|基準|要領)(?:は|に定める事項は)、[^。]*適用(?:する|される)(?:ものとする)?。?$|(?:特記事項|仕様書|規定|遵守事項|規程|要領)を適用する(?:ものとする)?。?$|を目的とする|目的として|定める(?:もの(?:である|とする)?。?$)|定めたものである|(?:まとめた|示した|整理した|解説した|説明した)もの(?:である|です)。?$|^(?:この|本)[^、。]{0,15}は、[^。]*ためのもの(?:である|です)。?$|"
    r"(?:から|より)施行する|効力を(?:有|生)(?:する|ずる|じる)|有効とする。?$|存続する(?:ものとする)?。?$|"
    r"定めるところ(?:による|によります|に従う|に従います)|(?:規定|定め|記載|内容|原文|遵守事項|特記事項|仕様書|契約書|要領|規程)が優先(?:する|して適用する)。?$|必要な事項を定める|準用する。?$|^(?:詳細|細目|その他の事項)は、[^。]*(?:による|を参照)。?$|"
    r"^(?:この|本)[^、。]{0,12}(?:特記事項|仕様書|遵守事項|要件|要領|基準|書|規程)は、[^。]*定める。?$)"
)
# Read on the sentence's last clause (its predicate): 「協議した上で…措置を講ずること」 is a duty.
_MACHINERY = re.compile(
    r"(?:賠償(?:を|の)?(?:請求|責任)|賠償(?:する|しなければ)|解除することができる|解除する。|"
    r"協議(?:の上|のうえ|して|により)?(?:決定|定め)|協議するものとする|話し合って(?:決め|定め)|"
    r"責任を負(?:う|わない)(?:ものとする)?。?$|(?:これを|を)受託する。?$|責めを負う|帰属する|公表することができる|解除できる|違約金|"
    r"の所有(?:物)?とする(?:ものとする)?。?$|"      # 「…の記録は、市の所有とする。」: whose it is
    r"(?:費用|損害)[^。]*負担(?:する|しない|とする)|異議を(?:申し立て|述べ)ることが?は?できない)"
)
# The contract's own terms (「契約金額は、金…円とする。」「履行期間は、…までとする。」「契約保証金は、…免除する。」
# 「本業務の内容は、別添の仕様書に定めるとおりとする。」「…訴訟…管轄裁判所とする。」): machinery
_CONTRACT_TERM = re.compile(r"^(?:本業務の内容|業務の内容|契約金額|委託料|請負代金|履行期間|契約期間|委託期間|業務期間|履行場所|契約保証金|"
                            r"支払(?:方法|時期)?|[^、。]{0,20}訴訟[^、。]{0,10})は、[^。]*(?:とする|免除する|による)。?$")
# 「受注者がこの遵守事項に違反したことにより生じた損害は、受注者の負担とする。」: liability, read on the whole sentence
_BEARS_LOSS = re.compile(r"(?:損害|費用)[^。]*負担(?:とする|する)(?:ものとする)?。?$")
# 「次のような行為は、このページのルールに違反します。」 says what breaks the rules; the rule is the next sentence
_BREACH_STATEMENT = re.compile(r"(?:に違反する|違反となる|違反に当たる)。?$")
# 「市が、…検査し、又は私に質問することがあることを承知しています。」「…責任を負うことを承知しています。」: the signer
# acknowledges a fact (the city's right, a liability); it asks nothing (rule 2)
_ACKNOWLEDGES = re.compile(r"ことを[^、。]{0,4}?(?:承知|了知)(?:している|しておる|しておりする|した|しました)。?$")
# The terms themselves cannot be changed (「…本特記仕様書に定める事項を変更することはできない」): machinery,
# unlike the contractor's act (「作業場所を変更することはできない」).
_TERMS_FIXED = re.compile(r"(?:仕様書|特記事項|遵守事項|要領|規程|契約|条項|定める事項|内容|ルール|基準|チェックリスト|確認項目|点検項目)"
                          r"[^。]{0,40}?変更すること(?:は|が)できない|(?:双方|両者|甲乙|当事者)の(?:合意|協議)(?:なく|なしに|によらずに?|が(?:なければ|ない限り))[^。]{0,20}変更")
# Both parties' joint undertakings (「甲及び乙は、相互に協力するものとする。」): contract machinery.
_MUTUAL = re.compile(r"^(?:甲及び乙|甲乙(?:双方)?|発注者及び受注者|委託者及び受託者|(?:本?市|町|村)及び(?:受注者|受託者|乙))は[^。]*(?:協力|協議)")
# The city's rights written without the city as subject: 「市による監査…を行うことができるものとする」.
_CITY_RIGHT = re.compile(rf"{_CITY}(?:による|が|は)[^。]*ことができる(?:ものとする)?。?$")

# The approval route in the unit itself.
_OK = r"(?:許可|承認|承諾|同意|了承|了解|許諾|認可)"
_APPROVAL_ROUTE = re.compile(
    rf"(?:{_OK}を(?:得|受け|得る|受ける)(?!た(?:者|もの|場合)|た(?!上|後|うえ|範囲|時)[一-龥ァ-ヶ])|"
    rf"{_OK}(?:なく|なしに|を得ずに|を得ないで|を受けずに|がない限り|のない限り)|無断(?:で|の|[一-龥])|"
    # 「市税課の承諾のない業務の再委託」: done without the approval (not 「許可のない者」, who is meant)
    rf"{_OK}のない(?![者人方])|"
    rf"(?:{_OK}(?:を得た|を受けた|した|があった|がある|を得ている)|認め(?:た|る))(?:場合|とき)(?:を除き|(?:に)?は、?この限りで(?:は)?ない|のほか(?:は|、)|以外は)|"
    rf"{_OK}を(?:得|受け)た(?:もの|場合|とき)に限(?:る|り)|(?:{_OK}した|認めた)(?:場合|とき)に限(?:る|り)|{_OK}を要する|{_OK}が必要|"
    rf"{_OK}を(?:申請|求め)|"
    rf"{_OK}を(?:得|受け)た[^、。]{{1,12}}?を除(?:き|く)|"   # 「（市の承認を得た緊急対応を除く）」
    # a checklist's note: 「市の承認があれば可」「承認を得れば可」
    rf"{_OK}(?:があれば|を得れば|を受ければ)(?:可|よい|認める)|"
    rf"{_OK}を(?:得|受け)た(?:場合|とき)(?:は|に限り)、?(?:可|よい|認める)。?$)"
)
# A proviso whose exception is obtained by asking, its conditions between: 「ただし、修理のため甲の
# 承認を得た場合であって、…ときは、この限りでない。」
# 「ただし、市の承認を得たものについては、この限りでない」: what was approved is exempt (a route), unlike
# 「許可を得た者」 naming a category.
_PROVISO_ROUTE = re.compile(rf"({_OK}(?:を得|を受け|し|があっ)た|(?<=が)[^、。]{{0,12}}?認めた)(?!者)(?!もの(?!(?:について|に関して)?は、?この限りで))"
                            # (nor 「市が入室を許可した点検業者は、この限りでない」: who may, named; a thing approved is a route)
                            rf"(?![一-龥ァ-ヶ]{{0,8}}(?:者|員)(?:は|及び|又は))"
                            rf"[^。]*この限りで(?:は)?ない")
# The contractor's own permission (「受注者は、…複写することができる。」) asks nothing of the worker.
_PERMISSION = re.compile(r"(?:ことが(?:でき(?:る|ます)|可能である|可能です)|(?<=[ぁ-ゖ一-龥])できる)(?:ものとする)?。?$")
_APPROVED = rf"{_OK}を(?:得|受け)た"              # 「市の承認を得た」「許可を受けた」
# 「原則禁止とするが、」 before an approval: what follows is the way out, not the background of a duty
_IN_PRINCIPLE_BUT = re.compile(r"原則(?:として)?[^。]*(?:禁止|ない)[^。]*(?:が|けれども|ものの)、")
_PRINCIPLE_BUT = re.compile(rf"原則(?:として)?[^。]*禁止[^。]*(?:が|けれども|ものの)、[^。]*?(?P<ok>{_OK}を(?:得|受け)た(?:場合|とき))")
_CITY_APPROVED = re.compile(rf"{_APPROVED}(?:とき|場合)(?:に限り)?(?:は|に)?、|{_APPROVED}[^、。]{{0,20}}に限り")
_CITY_REFUSES = re.compile(r"(?:認め(?:ない|られない)|(?:許可|承認|承諾)しない)(?:ものとする)?(?:こと)?。?$")
# Approval by the contractor's own people (作業責任者, 受託者の情報セキュリティ責任者, 上長) is its internal
# control, not the city's approval (rule 3 needs the city): no route. An approver not named, or
# named as the city's (市の情報セキュリティ管理者), is the city's.
_CONTRACTOR = r"(?:受注者|受託者|乙|事業者|委託先|委託事業者|請負者|受任者|指定管理者|作業従事者|業務従事者|従事者|作業責任者|業務責任者|作業者)"
# (the city acts unless the contractor is named before it: 「受注者は、市が指定する場所で作業する。」)
_CONTRACTOR_FIRST = re.compile(rf"[^、。]*{_CONTRACTOR}")
_INTERNAL_APPROVER = re.compile(
    rf"(?:(?:作業|業務|現場|管理|総括|開発|運用|保守|情報セキュリティ(?:対策)?|セキュリティ(?:対策)?)責任者|作業管理者|上長|上司|自社|社内|当社|"
    rf"{_CONTRACTOR}(?:側)?の[^、。]{{0,20}}?(?:責任者|管理者|代表者))")
# Approval that only names a category or sets the background: not a route.
_APPROVAL_CATEGORY = re.compile(r"(?:許可|承認|承諾)(?:されていない|された|済み?の|を受けた者|を得た者)|前[項条号]の(?:許可|承認|承諾)"
                                # 「市が入室を許可した点検業者」: the approval names who, not a way out (「市が許可した
                                # 機器は、この限りでない」 names what may be brought once approved: a route)
                                r"|(?:許可|承認|承諾)した[一-龥ァ-ヶ]{0,8}(?:者|員)")
# "Xしなければ Yしてはならない": the label is X's.
# 「施錠せずに離席してはならない」「暗号化しないで送信してはならない」「確認するまで、…告げてはならない」 read the same way.
_UNLESS = re.compile(r"(?P<x>[^。]{1,60}?)(?:[ぁ-ゖ得見来]なければ|でなければ|[ぁ-ゖ得出見経]ずに|せず、|(?<=[ぁ-ゖ得出見経])ない(?:まま|で)|(?P<until>(?<=[るす])まで(?:の間)?(?:は)?、?)|(?<=[得けし])ていない(?:場合|とき)(?:は|には|に)?、?)(?!なら)"
                     r"[^。]*(?:てはならない|ではならない|できない。?$)")
_UNTIL_NOT = re.compile(r"(?P<x>[^。]{1,60}?)(?:(?P<until>(?<=[るす])まで(?:の間)?(?:は)?、?)|[ぁ-ゖ得出見経]ずに|(?<=[ぁ-ゖ得出見経])ないで|[ぁ-ゖ得見来]なければ、?)"
                        r"(?!なら)[^。]*(?:ないこと|ことは禁止(?:である|とする|する)?|(?<=[ぁ-ゖ])(?<!なら)(?<!でき)ない)。?$")
# The step 「…するまで」 waits for (「確認が取れるまで」「承認があるまで」).
# (not 「市の指示があるまで」: an exception not obtained by asking keeps the prohibition, rule 3)
_STEP = re.compile(r"確認|承認|許可|承諾|同意|了承|照合|修了|受講|研修|講習|完了|提出|届け?出|登録|署名|誓約|作成|記録|実施|検査|チェック|報告")
# 「申込書は、シュレッダーで裁断するまで…捨てないこと」: an act of the worker's own (by some means, no subject of its
# own), unlike an event (「原因が判明するまで」「契約が終了するまで」「市の調査が終わるまで」)
_OWN_STEP = re.compile(r"(?:^|、)[^、。が]*[でを][^、。が]*[一-龥]{2}する$")
# Not neglecting something is doing it (and not breaking a rule is keeping it: 「次の事項に違反してはならない。」 over
# duties): 「監督を怠ってはならない」「点検を欠かさないこと」「報告を怠ることのない
# ようにしなければならない」「ロックしないことのないよう」「電源を切り忘れることのないよう」 are duties
# (not 「置き忘れ」: leaving a thing behind is the act forbidden).
_NEGLECT = re.compile(
    r"(?:(?:怠|欠か|欠|(?<!置き)(?<=[ぁ-ゖ])忘れ|失念|違反|(?<=[にをへ])反|(?<=[にをへ])背|逸脱)(?:っ|し|さ|ら|る|す|く|い)?"
    r"(?:てはならない|てはならず|ないこと|ない。|ないよう|ことの?ないよう|ことがないよう)|"
    r"ないこと(?:の|が)ないよう|漏れ(?:の|が)ないよう)")
# A compound whose first part forbids: 「…利用しないものとし、…返還しなければならない」.
_PROHIBITION_CONJUNCT = re.compile(
    r"(?<!適用し)(?<!該当し)(?<!当たら)(?<!含ま)(?<!生じ)(?<!及ば)(?<!限ら)(?<=[ぁ-ゖ])ない(?:ものと|ことと)し、|[てで]はならず、")
# The city's sentence that goes on to ask the contractor: 「発注者は、監査を実施するものとし、受注者はこれに
# 協力しなければならない。」
_CONTRACTOR_PART = re.compile(rf"、{_CONTRACTOR}(?:は|も)、?")

_PROHIBITION = re.compile(
    r"(?:てはならない|ではならない|てはならず|ではならず|してはいけない|禁[ずじ]|認め(?:ない|られない)(?:ものとする|こと)?。?$|"
    r"不可(?:とする|である|。|$)|許されない|慎(?:む|まなければ)|(?:差し|(?<=[はも])、?)控え(?:ること|なければ|るものとする|る。?$)|厳に控え|"
    r"ことはできない(?!よう)|ことができない(?!よう)|ことは、[^。]{0,30}?できない。?$|(?<![いな])しないこと|(?<!て)いないこと|"
    r"[ぁ-ゖ]ないこと|ないものとする|せない。|行わない|禁止(?![一-龥ァ-ヶ」』])(?!の(?:表示|掲示|看板|標示|札|張り紙|貼り紙|ステッカー))|厳禁|"
    r"ことのないよう(?:に)?(?:しなければならない|すること|する|しなくてはならない)|"
    r"(?<=[一-龥])(?:は|も)?できない。?$|べきで(?:は)?ない|"
    # 「…お子さんの利用状況をお答えできません。」「ご案内できません」: the polite 'cannot', said to the staff, forbids
    r"(?:^|[、はをにもで])[おご][一-龥]{1,3}[ぁ-ゖ]{0,2}できない。?$|ことを得ない。?$|"
    r"遠慮(?:ください|下さい|願|いただ|する|すること)|(?<![をに])避け(?:ること|なければ|るものとする|る。?$))"
)
# 「端末を放置しないようにすること」「紛失のないよう十分に注意すること」: the worker's own act,
# negated, is the rule (禁止). Not when the negated clause has its own subject (「データが残らない
# ようにすること」: a state to bring about, rule 6) or is passive (「…されないよう」).
# 「聞こえないよう」「見えないよう」「漏れないよう」: a state to bring about (rule 6), not the worker's own act negated
_STATE_NOT_ACT = re.compile(r"(?:聞こえ|見え|漏れ|知られ|気付か|気づか|分から|わから)$")
_AVOID = re.compile(r"(?<!こと)(?:の|[ぁ-ゖ])(?<!れ)ないよう(?:に)?(?:する|しなければ|しなくては|、?[^、。]{0,6}?(?:注意|留意|配慮|気を付け|気をつけ))|"
                    r"ことの?ないよう(?:に)?、?[^、。]{0,6}?(?:注意|留意|配慮|気を付け|気をつけ)")
# A negation the worker must bring about or check: still a duty.
_NEGATION_IN_DUTY = re.compile(
    r"(?:(?:禁止|してはならない|ない)(?:する|である)?旨を?[^。]{0,10}?(?:表示|掲示|明示|通知|周知)|"
    r"(?:ない|ないこと|ていないこと|なかった|ない旨|ないよう(?:に)?|ことのないよう(?:に)?)"
    r"(?:を|について|に)?[^。]{0,20}?(?:確認|確かめ|点検|検査|調べ|合意|誓約|制御|措置|管理|徹底|監督|指導|教育|周知|求め|講じ|設定|対策|保管|取り扱|取扱)|"
    r"ないことを、[^。]{0,40}?(?:確認|確かめ|点検|検査)|"
    r"(?:禁止|制限)する(?:ための)?[^。]{0,8}?(?:措置|対策|設定|仕組み|規程|規則|手順)|"
    # 「従事者に…の貸し借りを禁止しなければならない」: the contractor must forbid it to its staff
    r"禁止(?:し|させ)なければならない)"
)
# 「…声に出して読み上げないよう注意すること」: the predicate is the plain duty to take care, the act forbidden inside
# it. On its own it reads as the prohibition it guards (禁止); as a list item it is a plain 「…すること。」 and takes the
# label its lead-in gives (「次のことを守ってください。」 over it: 義務; rule 10).
_TAKE_CARE_NOT = re.compile(r"ないよう(?:に)?、?[^、。]{0,6}?(?:注意|留意|配慮|気を付け|気をつけ)(?:する|すること)?。?$")
# 「開封しないよう注意し、直ちに業務責任者に引き渡すこと」: taking care is only the first of what the sentence asks; it
# goes on to an act to do, and 禁止 over it would forbid that act (rule 6: a negation inside a duty)
_TAKE_CARE_THEN = re.compile(r"ないよう(?:に)?、?[^、。]{0,6}?(?:注意|留意|配慮|気を付け|気をつけ)(?:し|して)、")
# 「…調査に協力しなければならず、…拒んではならない」: the first predicate is the rule (rule 1), the prohibition added to it
_DUTY_CONJUNCT = re.compile(r"(?:なければ|なくては|ねば)ならず、")
_EFFORT = re.compile(r"(?:努め(?:なければならない|ること|る|ます|ものとする|ている)|努力(?:する|しなければ)|励行|心が(?:け|ける)|心掛け|望ましい|望まれる|好ましい|推奨)")
_DUTY = re.compile(
    r"(?:なければならない|なければならず|ねばならない|なくてはならない|ものとする|義務を負う|義務がある|必要がある|こと。?$|すること|"
    r"を要する|求められ(?:る|ている)|こと(?:と|に)なっている|ことが(?:必要|必須|不可欠)|べき(?:である|もの)|"
    r"する。?$|させる。?$|行う。?$|管理する|遵守|提出|報告|講ずる|講じる|を得ること|"
    # 「訪問時は職員証を示す。」「離席時は画面を閉じる。」: a plain act verb with its object used as a rule (rule 9)
    r"(?<![のる])を(?:示す|保つ|返す|消す|渡す|閉める|閉じる|掛ける|かける|付ける|つける|着ける|切る|戻す|外す|収める|しまう|携える"
    r"|得る|確かめる|守る|控える|引き渡す|届ける|預ける)。?$|"           # 「保護者の同意を得る。」「…を引き渡す。」
    r"(?<![のる])[にへ](?:返す|戻す|収める|しまう|渡す|引き渡す|届ける|預ける)。?$|"   # 「年度末に市へ引き渡す。」
    # 「接続する記録媒体は、貸与したものに限る。」「閲覧できる者は、…指名した者に限る。」: a restriction to keep (rule 9)
    r"(?:もの|者|物)に限る(?:ものとする)?。?$)"
)

# Polite wording (です・ます specifications, staff handbooks) read as the plain wording the
# patterns know: 「持ち込みません」 is 「持ち込まないこと」, 「ロックしてください」 is 「…すること」.
_POLITE = [
    (r"(なければ|なくては)(?:なりません|いけません|いけない)", r"\1ならない"),
    (r"ないと(?:いけ|なら)(?:ません|ない)", "なければならない"),     # 「ロックしないといけません」: a duty
    (r"ておりません", "ていない"),
    (r"([てで])は(?:なりません|いけません|いけない)", r"\1はならない"),
    (r"ないで(?:ください|下さい)", "ないこと"),
    (r"よう(?:に)?(?:お願い(?:します|いたします|致します|申し上げます)|願います)", "ようにすること"),
    (r"(努め|心がけ|心掛け)て(?:ください|下さい)", r"\1ること"),
    (r"ないようにしましょう", "ないようにすること"),
    # 「…ましょう」 recommends (「確かめましょう」「電話を切りましょう」「確認しましょう」), unless 必ず makes it a must
    (r"(必ず[^。]*?)しましょう", r"\1すること"),
    (r"(必ず[^。]*?[いきぎしちにびみりえけげせぜてでねべめれ])ましょう", r"\1ること"),
    (r"ようにしましょう", "ようにすることが望ましい"),        # 「…片付けるようにしましょう」: a recommendation
    (r"しましょう", "することが望ましい"),
    (r"(?<=[いきぎちにびみりえけげせぜてでねべめれ])ましょう", "ることが望ましい"),
    (r"して(?:ください|下さい)", "すること"),
    (r"ご([一-龥]{2,})(?:ください|下さい)", r"\1すること"),     # 「ご協力ください」「ご遠慮ください」
    (r"お([一-龥][ぁ-ゖ]{0,3})(?:ください|下さい)", r"\1ること"),   # 「具体的にお伝えください」「…はお控えください」
    (r"(?<=[えけげせぜてでねべめれ])て(?:ください|下さい)", "ること"),   # 「控えてください」「止めてください」
    (r"[てで](?:ください|下さい)", "すること"),
    (r"必要があります", "必要がある"),
    (r"をいいます", "をいう"),
    (r"できません", "できない"),
    (r"できます", "できる"),
    (r"(かまい|構い)ません", "かまわない"),
    (r"(妨げ)ません", "妨げない"),
    (r"要しません", "要しない"),
    (r"して(?:いただき|頂き)ます", "する"),     # 「賠償していただきます」: the contractor shall
    (r"問いません", "問わない"),
    (r"ありません", "ない"),
    (r"([ぁ-ゖ])ません", r"\1ないこと"),
    (r"ています", "ている"),
    (r"定めます", "定める"),
    (r"(?<=[にへ])よります(?=。|$)", "よる"),     # 「…の定めるところによります」
    (r"限ります(?=。|$)", "限る"),
    (r"(当た|終わ|守|残|取|移|図|送|渡|貼|配|切|戻|帰|入|知|触|破|頼|困)ります(?=。|$)", r"\1る"),   # godan verbs
    (r"従います(?=。|$)", "従う"),
    (r"(負|払|伴)います(?=。|$)", r"\1う"),          # 「…全ての責任を負います」
    (r"(含|読|進|望)みます(?=。|$)", r"\1む"),        # 「…職員を含みます」
    (r"あります", "ある"),
    (r"なります", "なる"),
    (r"します", "する"),
    (r"([えけせてねへめれげぜでべ])ます(?=。|$)", r"\1る"),
    (r"([ぁ-ゖ一-龥])ます(?=。|$)", r"\1する"),
    (r"です(?=。|$)", "である"),
    (r"(?<=[るいたう])事(?=。|$)", "こと"),
    # a self-check list asks its rules: 「…持ち込んでいないか。」 is 「…持ち込んでいないこと。」, 「…保管しているか。」
    # 「…研修を行ったか。」 are 「…していること。」
    (r"(?<=[てで])いないか(?=。|$)", "いないこと"),
    (r"(?<=[てで])いるか(?=。|$)", "いること"),
    (r"(?<=[っいしけげせてねべめれ])たか(?=。|$)", "たこと"),
]
_POLITE = [(re.compile(a), b) for a, b in _POLITE]
# Predicates that release rather than ask: 「届出を要しない」「承認を受ける必要はない」「…を妨げない」.
_RELEASES = re.compile(
    r"(?:(?:要しない|必要は(?:ない|ありません)|必要がない|(?<![^はもで])不要(?:である|とする)?|妨げない|妨げません|差し?支えない|かまわない|構わない)(?:ものとする)?|"
    r"(?:なければならない|ねばならない|なくてはならない|妨げる|要する|求める|義務付ける)(?:もの|わけ)ではない|(?:をもって|で)足りる)。?$")
# Negatives that draw a boundary rather than forbid: 「…は、前項の再委託に当たらないものとする。」
_DESCRIPTIVE_NEGATIVE = re.compile(r"(?:当たら|該当し|含ま|含まれ|適用し|適用され|及ば|生じ|限ら)ない(?:ものとする)?。?$")
# A plain negative predicate used as a rule (「私物を持ち込まない。」): 禁止, except these endings.
_NOT_A_RULE_NEGATIVE = re.compile(
    r"(?:ならない|この限りでない|限りではない|でない|ではない|はない|必要がない|差し?支えない|かまわない|構わない|"
    r"妨げない|問わない|できない|過ぎない|すぎない|ものではない|わけではない|該当しない|当たらない|含まない|含まれない|"
    r"限らない|生じない|及ばない|適用しない|適用されない|保証しない)。?$"
)
_PLAIN_NEGATIVE = re.compile(r"[ぁ-ゖ]ない。?$")

_PAREN = re.compile(r"（[^（）]*）|\([^()]*\)")
# An FAQ answer on its own line: 「A　市は、…お知らせします。」
# 「Ｑ：…よいですか。　Ａ：…」 (one line, or a question line and its answer line joined by the parser)
_FAQ_QUESTION = re.compile(r"\s*(?:[ＱQ]|問|質問)\s*[0-9０-９]{0,3}\s*(?:[：:.．、]|[ \u3000])")
_FAQ_ANSWER = re.compile(r"(?:^|[。？?\s:：])(?:[ＡA]|答|回答)\s*[0-9０-９]{0,3}(?:[：:.．、]\s*|[ \u3000]+)(?=[^\x00-\x7f])")
_ANSWER_MARK = re.compile(r"^\s*[AＡ](?:[:：.．]\s*|[\s\u3000]+)(?=[^\x00-\x7f])")
# A case an item names (「…と認められるとき。」): its lead-in (「…解除することができる」) says what follows from it
_CASE = re.compile(r"(?:とき|場合)。?$")
_SENTENCE = re.compile(r"[^。]+。?")
_PAREN_ROUTE = re.compile(rf"[（(]([^（）()]*(?:許可|承認|承諾|{_CITY}が認め)[^（）()]*を除(?:く|き|きます)?。?)[）)]")
# A table or checklist row marked 「（要承認）」: done only with the city's approval
_NEEDS_APPROVAL_MARK = re.compile(r"[（(]要承認[）)]")


@dataclass(frozen=True)
class Judgement:
    verdict: str | None   # None: the text asks nothing by itself (a heading, a bare noun)
    reason: str           # why, in Japanese, for `kb show`
    bare: bool = False    # a bare noun or a plain 「…すること。」: a list item takes its lead-in's label


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)  # letter-spaced PDFs and wrapped lines read the same
    t = re.sub(r"(?<=[^\x00-\x7f]),", "、", t)           # 「乙は,甲の」: half-width punctuation
    t = re.sub(r"(?<=[^\x00-\x7f])\.(?![0-9])", "。", t)
    # 「…持ち出すことはできません（市の許可がある場合を除きます）。」: a way out in brackets is part of the rule
    t = _PAREN_ROUTE.sub(lambda m: "、" + re.sub(r"除(?:く|きます)?。?$", "除き", m.group(1)) + "、", t)
    for _ in range(3):         # (以下「乙」という。) and nested brackets say nothing about the rule
        t = _PAREN.sub("", t)
    return re.sub(r"(?:^|(?<=。))但し", "ただし", t)


def _plain(t: str) -> str:
    for rx, sub in _POLITE:
        t = rx.sub(sub, t)
    return t


def _sentences(t: str) -> list[str]:
    return [s for s in _SENTENCE.findall(t) if s.strip("。")]


def _sentence_verdict(s: str, ptr: str = "") -> tuple[str | None, str]:
    """One sentence's label and reason; (None, why) when it asks nothing of the contractor."""
    v, why = _sentence_core(s, ptr)
    if v == PROHIBITED and "受注者側" in why:
        pass
    elif v == PROHIBITED and any(_internal(x, m.start()) for x in (s, ptr) for m in _APPROVAL_ROUTE.finditer(x)):
        why += "。例外の承認は市（甲）の許可・承認ではない（受注者側の責任者、本人の同意、法令によるものなど）"
    elif v == PROHIBITED and any(_internal(ptr, m.start()) for m in _PROVISO_ROUTE.finditer(ptr)):
        why += "。ただし書の承認は市（甲）の許可・承認ではない（受注者側の責任者、本人の同意、法令によるものなど）"
    elif v == REQUIRED and "受注者側" not in why and any(_internal(s, m.start()) for m in _APPROVAL_ROUTE.finditer(s)):
        why += "。承認は市（甲）の許可・承認ではなく（受注者側の責任者、本人の同意、法令によるものなど）、承認を得る手順が義務"
    elif v == REQUIRED and ptr and _route_match(s + ptr) and not _prohibits(s):
        why += "。ただし書は義務を免除する場合を定めるもの"
    return v, why


def _sentence_core(s: str, ptr: str) -> tuple[str | None, str]:
    # 「市は、再委託を認めない。」 speaks of the contractor's act, not of the city's own
    if _CITY_SUBJECT.search(s) and not _CITY_REFUSES.search(s):
        part = _CONTRACTOR_PART.search(s)
        if part:
            v, why = _sentence_core(s[part.start() + 1:], ptr)
            if v is not None:
                return v, why
        return None, "市（甲）の権利・義務を定める文"
    if _CITY_AGENT.search(s) and not _RULE_END.search(s) and not _CONTRACTOR_FIRST.match(s) \
            and not _CITY_NAMES_THING.search(s):
        return None, "市（甲）が行うことを定める文（「…は、市が…する」）"
    if _DEFINITION.search(s) or (_INDICATES.search(s) and not _CONTRACTOR_FIRST.match(s)):
        return None, "定義"
    if _SCOPE.search(s):
        return None, "目的・適用範囲"
    tail = s.rsplit("、", 1)[-1]
    if _CITY_RIGHT.search(s) and not _approval_route(s):   # not 「市が許可したときに限り、…できる」
        return None, "市（甲）の権利を定める文"
    if (_MACHINERY.search(tail) and "とともに" not in s) or _MUTUAL.search(s) or _TERMS_FIXED.search(s) \
            or _CONTRACT_TERM.search(s) or _BEARS_LOSS.search(s):
        return None, "損害賠償・解除・協議など契約上の定め"
    if _RELEASES.search(s):
        return None, "求めないことを定める文（「要しない」「必要はない」など）"
    if _BREACH_STATEMENT.search(s):
        return None, "違反となることを述べる文（規則は次の文）"
    if _ACKNOWLEDGES.search(s):
        return None, "承知していることを述べる文（市の権利・責任の確認）"
    if _DESCRIPTIVE_NEGATIVE.search(s):
        return None, "範囲を定める文（「…に当たらない」など）"
    effort = _EFFORT.search(s)
    if effort:
        # 「…に努めるとともに、…してはならない」: a binding rule joined to an effort is not softened by it
        joined = re.match(r"(?:る|ること)?(?:とともに|と共に|ものとし|こととし)?、", s[effort.end():])
        if joined:
            v, why = _sentence_core(s[effort.end() + joined.end():], ptr)
            if v in (PROHIBITED, APPROVAL, REQUIRED):
                return v, f"努力義務に続けて定める{LABELS[v]}（「…に努めるとともに、…」）: {why}"
        return ENCOURAGED, "努力義務・励行の表現（「努める」「励行」など）"
    m = _UNLESS.search(s) or _UNTIL_NOT.search(s)
    if m and m.group("until") is not None and not _STEP.search(m.group("x")) and not _OWN_STEP.search(m.group("x")):
        m = None   # 「契約が終了するまで、…消去してはならない」: until an event, not a step the worker takes
    elif m and m.group("until") and "の間" in m.group("until") and not re.search(_OK, m.group("x")):
        m = None   # 「消去が完了するまでの間、…使用しないこと」: a prohibition for that time, not a step before the act
    if m:
        x = m.group("x")
        # 「…市税課の確認を受けた後でなければ、作業を再開してはならない」: the city's sign-off is its approval
        ok = re.search(_OK, x) or re.search(rf"(?:{_CITY}|[一-龥]{{1,6}}課)の確認を(?:受け|得)", x)
        if ok and not _internal(s, ok.start()):
            route = _approval_route(s)
            if route:   # 「承認を得ないで…」「承諾を得ずに…」: the route as written
                return APPROVAL, f"市（甲）の許可・承認を得れば認められる（「{route}」）"
            return APPROVAL, "「承認を得なければ…してはならない」: 承認を得れば認められる"
        if ok:
            return REQUIRED, "「責任者の承認を得なければ…してはならない」: 受注者側の承認は市（甲）の承認ではなく、先に行うべき手順が義務"
        return REQUIRED, "「…しなければ（せずに）…してはならない・できない」: 先に行うべき手順が義務"
    route = _proviso_or_route(s, ptr)
    if route:
        return APPROVAL, f"市（甲）の許可・承認を得れば認められる（「{route}」）"
    # 「…は原則禁止とするが、市の承認を受けた場合は、…」: 原則禁止 with its way out in the same sentence (rule 3)
    p = _PRINCIPLE_BUT.search(s)
    if p and not _internal(s, p.start("ok")):
        return APPROVAL, f"原則禁止だが、市（甲）の許可・承認を得た場合に認められる（「{p.group('ok')}」）"
    if _PERMISSION.search(s):
        # 「上長の承認を得て…できる」: only the contractor's own people can allow it, not free to act
        if any(_internal(s, m.start()) for m in _APPROVAL_ROUTE.finditer(s)):
            return PROHIBITED, "受注者側の責任者などの承認を条件に認める文（承認なしには行えない）"
        # 「…市の承認を得たときは、再委託することができる」: allowed once the city approves
        city = _CITY_APPROVED.search(s)
        if city and not _internal(s, city.start()):
            return APPROVAL, f"市（甲）の許可・承認を得たときに限り認められる（「{city.group(0)}」）"
        return None, "受託者に認められた権限（求める行為ではない）"
    if _NEGLECT.search(s):
        return REQUIRED, "怠らないこと・欠かさないことを求める文（「怠ってはならない」「…しないことのないよう」など）"
    duty_first = _DUTY_CONJUNCT.search(s)
    forbids_first = _PROHIBITION_CONJUNCT.search(s)
    if duty_first and (not forbids_first or duty_first.start() < forbids_first.start()):
        return REQUIRED, "義務を定め、禁止を加える文（「…しなければならず、…してはならない」）: 先の述語が規則"
    if forbids_first:
        return PROHIBITED, "禁止を含む文（「…しないものとし、…」「…してはならず、…」）"
    then = _TAKE_CARE_THEN.search(s)
    if then and not _prohibits(s[then.end():]) and _DUTY.search(s[then.end():]):
        return REQUIRED, "しないよう注意したうえで行うことを求める文（否定を含む義務）"
    # (not 「名簿に記載されていない者は、…取り扱うことはできない」: the sentence ends forbidding)
    if _NEGATION_IN_DUTY.search(s) and not re.search(r"(?:てはならない|ではならない|禁止|厳禁|ないこと|ことは?できない)。?$", s):
        return REQUIRED, "ないことの確認・合意・措置を求める文（否定を含む義務）"
    if _PROHIBITION.search(s) or _avoids(s):
        return PROHIBITED, "禁止の表現（「してはならない」「禁止」など）"
    if _PLAIN_NEGATIVE.search(s) and not _NOT_A_RULE_NEGATIVE.search(s):
        return PROHIBITED, "否定の述語（「…しない。」）で定める禁止"
    if _DUTY.search(s):
        return REQUIRED, "義務の表現（「しなければならない」「…すること」など）"
    return None, "求める行為の表現がない"


def _proviso_or_route(s: str, ptr: str) -> str | None:
    """The approval route of a sentence and its ただし: not one given by the contractor's own people,
    and not a proviso that only waives a duty (「提出しなければならない。ただし、市が不要と認めた場合
    は、この限りでない。」 is still a duty)."""
    m = _route_match(s + ptr)
    if m and m.start() < len(s):
        return m.group(0)
    waiver = bool(ptr) and not _prohibits(s)
    if m and not waiver:
        return m.group(0)
    p = _PROVISO_ROUTE.search(ptr)
    if p and not waiver and not _internal(ptr, p.start()):
        return p.group(1)
    # 「…は、原則として利用者本人に限る。ただし、…図書館が承認した場合は、代理人に渡すことができる。」: a rule in
    # principle whose ただし allows more once approved (no duty waived: the approval is the way out)
    q = _PROVISO_CAN.search(ptr) if "原則" in s else None
    if q and not _internal(ptr, q.start()):
        return q.group(1)
    return None


_PROVISO_CAN = re.compile(rf"({_OK}(?:した|を得た|を受けた)(?:場合|とき))(?:に)?は、[^。]*ことができる。?$")


def _prohibits(s: str) -> bool:
    return bool(_PROHIBITION.search(s) or _avoids(s) or _PROHIBITION_CONJUNCT.search(s)
                or (_PLAIN_NEGATIVE.search(s) and not _NOT_A_RULE_NEGATIVE.search(s)))


def _avoids(s: str) -> bool:
    for m in _AVOID.finditer(s):
        clause = s[:m.start() + 1].rsplit("、", 1)[-1]
        if "が" not in clause and not _STATE_NOT_ACT.search(clause):
            return True
    return False


def _internal(s: str, at: int) -> bool:
    """Whether the approval whose words start at ``at`` is not the city's to give: the contractor's
    own people's, the law's, or the data subject's."""
    parts = s[:at].split("、")
    who = parts[-1]
    if not re.search(r"[一-龥ァ-ヶ]", who) or who.startswith("その"):   # 「責任者に申請し、その許可を受けた」
        who = "、".join(parts[-2:])
    if re.search(r"(?:法令|法律|条例)(?:の|に|で|が)", who):   # an exception the law makes is not asked for
        return True
    if re.search(r"(?:本人|保護者|情報主体)(?:の|が|から)", who):  # the data subject's consent is not the city's
        return True
    return bool(_INTERNAL_APPROVER.search(who)) and not re.search(rf"{_CITY}(?:の|が|に|及び|並びに|又は|若しくは)", who)


def _approval_route(s: str) -> str | None:
    m = _route_match(s)
    return m.group(0) if m else None


def _route_match(s: str):
    for m in _APPROVAL_ROUTE.finditer(s):
        if _internal(s, m.start()):
            continue
        before = s[max(0, m.start() - 2):m.end() + 4]
        if _APPROVAL_CATEGORY.search(before):
            continue
        # 「掲載の同意を得ていない児童の写真」: a kind of thing, not a way to be allowed
        if re.match(r"ていない(?!場合|とき)[^、。]{0,2}?[一-龥ァ-ヶ]", s[m.end():m.end() + 8]):
            continue
        # approval as the background of a duty: "前項の承諾を受けて…する場合には、…しなければならない"
        if re.search(r"(?:前|第[0-9０-９一二三四五六七八九十]+)[項条号](?:ただし書|本文)?の$", s[:m.start()]):
            continue
        tail = s[m.end():]
        # background (「承認を得て…する場合には、…」) or even then (「…場合であっても、…してはならない」)
        if re.match(r"[^、。]{0,40}?(?:場合|とき)(?:に(?:は)?|は|であっても|でも|も)、", tail) and not re.search(r"この限りでない", tail) \
                and not _IN_PRINCIPLE_BUT.search(s[:m.start()]):
            continue
        # what was done with it, named (「承諾を得て複写した書類について、…記録しなければならない」「承認を得て持ち込んだ
        # 私物は、…保管すること」)
        if re.match(r"て[^、。]{0,20}?(?:した|された|[ただ](?=[一-龥ァ-ヶ]))[^、。]{0,12}?(?:について|に関して|は)、", tail):
            continue
        # or to be done with it (「市の承認を得て廃棄する記憶装置は、…記録すること」): the approval, in a clause on the
        # subject, names which ones (a category, rule 3); not 「承認を得て廃棄すること」, nor 「…持ち出す場合は、」
        if re.match(r"て[^、。]{0,20}?(?:する|される|[うくすつぬぶむる])(?!場合|時|際)[一-龥ァ-ヶ]{1,10}(?:について|に関して|は)、",
                    tail):
            continue
        return m
    return None


# A pledge the worker signs (「私は、…次の事項を遵守することを誓約します。」 before its items): the writer is the
# worker, so its 「…記入します」「…報告いたします」「…指示に従います」 are the signer's own undertakings (rule 9: a plain
# …する used as a rule), not what the writer (the city, on a web page) does
_FIRST_PERSON = re.compile(r"(?:^|[。\n])[\s\u3000]*(?:私|わたくし|わたし)(?:たち|ども|共)?(?:は|も)、[^。]*"
                           r"(?:(?:誓約|約束)(?:します|いたします|致します|する)|誓います|誓う)。")
# the polite affirmative the signer undertakes (not 「…ことがあります」「…となります」, which state)
_UNDERTAKES = re.compile(r"(?<!あり)(?<!なり)(?<!おり)(?<!でき)ます。?$")


def first_person(preamble: str) -> bool:
    """Whether a document is written by the worker who signs it (a 誓約書 loaded on its own), from its preamble."""
    return any(_FIRST_PERSON.search(_clean(line)) for line in (preamble or "").splitlines())


def judge(text: str, first_person: bool = False) -> Judgement:
    """The verdict a unit's own text states, with the reason (``first_person``: in a pledge the worker signs)."""
    # an FAQ's answer is the rule, not its question (「Ｑ：…保管してもよいですか。　Ａ：…できません。」, or a question
    # line and its answer line the parser joined: 「Q1　…よいですか。　A　いいえ。…」)
    answer = _FAQ_ANSWER.search(text or "")
    if answer and (_FAQ_QUESTION.match(text) or re.search(r"[ＱQ][：:.．]", text[:answer.start() + 1])):
        return judge(text[answer.end():], first_person)
    text = _ANSWER_MARK.sub("", text or "")
    cleaned = _clean(text)
    t = _plain(cleaned)
    if not t:
        return Judgement(None, "見出し（本文なし）")
    marked = _marked(t, unicodedata.normalize("NFKC", text or "").strip())
    if marked:
        return marked
    sentences = _sentences(t)
    said = _sentences(cleaned)
    said = said if len(said) == len(sentences) else [""] * len(sentences)
    first_why = None
    for i, s in enumerate(sentences):
        if i and re.match(r"(?:なお|また|おって|ただし)、?", s):   # a ただし belongs to the sentence before it
            continue
        if not first_person and _WRITERS_OWN_ACT.search(said[i]) and not re.search(_CONTRACTOR, said[i]) \
                and not _RULE_WORD.search(said[i]):
            # a page in です・ます: 「アカウントは、一人に一つ発行します。」 is what the city (the writer) does
            first_why = first_why or "市（書き手）自身が行うことを述べる文（「…します」）"
            continue
        if len(sentences) == 1 and _CASE.search(s) and not re.search(r"(?:こと|ならない)(?:とき|場合)", s):
            return Judgement(None, "場合・ときを掲げる項目（柱書きが定める）", True)
        ptr = "".join(x for x in sentences[i + 1:i + 2] if x.startswith("ただし"))
        v, why = _sentence_verdict(s, ptr)
        if v is None and first_person and why == "求める行為の表現がない" and _UNDERTAKES.search(said[i]):
            v, why = REQUIRED, "誓約書で署名する本人が約束する行為（「…します」「…いたします」）"
        first_why = first_why or why
        if v == PROHIBITED:
            # 「原則として…しないこと。やむを得ず…場合は、市の許可を得ること。」 or 「…持ち出さないこと。
            # 持ち出す必要があるときは、市の承認を得て…」: the route is in the unit. Without 原則, only
            # the next sentence, and not a なお/また one (rule 1).
            later = sentences[i + 1:] if "原則" in s else [
                x for x in sentences[i + 1:i + 2] if not re.match(r"(?:なお|また|おって|ただし)", x)]
            route = next(filter(None, (_approval_route(x) for x in later)), None)
            if route:
                return Judgement(APPROVAL, f"禁止だが、同じ項に市（甲）の許可・承認による例外がある（「{route}」）")
        if v is not None:
            rest = sentences[:i] + sentences[i + 1:]
            bare = (v == REQUIRED and _is_plain_duty(s) or v == PROHIBITED and bool(_TAKE_CARE_NOT.search(s))) \
                and all(re.match(r"(?:ただし|なお|また)", x) for x in rest)
            return Judgement(v, why, bare)
    # 「休憩室で使用することは差し支えありません。ただし、執務エリアへは持ち込んではいけません。」: the sentence
    # only allows the worker something; its ただし is the rule (not the city's 「市は…できる。ただし、…」)
    if sentences and (_RELEASES.search(sentences[0]) or _PERMISSION.search(sentences[0])) \
            and not _CITY_SUBJECT.search(sentences[0]):
        for s in sentences[1:]:
            if s.startswith("ただし"):
                v, why = _sentence_verdict(re.sub(r"^ただし、?", "", s))
                if v in (PROHIBITED, REQUIRED, APPROVAL):
                    return Judgement(v, f"本文は認めるのみで、ただし書が{LABELS[v]}を定める: {why}")
    if len(sentences) == 1 and not re.search(r"(?:[るたいうくすつむぶぐだ]|こと|ない)。$", t):
        return Judgement(None, "名詞のみの項目", True)
    # 「所有者情報の複写又は複製。ただし、市の承認を受けたものを除く。」: a bare noun with its ただし
    if len(sentences) > 1 and not re.search(r"(?:[るたいうくすつむぶぐだ]|こと|ない)。$", sentences[0]) \
            and all(re.match(r"(?:ただし|なお)", x) for x in sentences[1:]):
        return Judgement(None, "名詞のみの項目（ただし書つき）", True)
    return Judgement(INFO, f"利用者に求める行為がない（{first_why or '規定'}）")


def _is_plain_duty(s: str) -> bool:
    """「…すること。」 or 「…する。」 with no stronger wording: an item like this takes its lead-in's label."""
    return not re.search(r"(?:なければ|ねばならない|なくてはならない|義務|必要がある|ものとする)", s)


# --- list items: the lead-in's label flows to bare items ---------------------------------------

_LEAD_IN = re.compile(r"(?:次の|以下の|次に掲げる|下記の|別記の)[^。]{0,12}(?:事項|対策|措置|行為|各号|とおり|もの|こと|取組|取り組み|心得)")


# 「ただし、市の承認を受けたものを除く。」: what the city approved is exempt
_EXCEPT_APPROVED = re.compile(rf"{_APPROVED}(?:もの|場合|とき)(?:を|は)除(?:く|き)")
_EXCEPT_CASES = re.compile(r"(?:次の各号|次|以下)の(?:いずれか|各号)に該当する(?:場合|とき)を除き")
_CASE_APPROVED = re.compile(rf"{_APPROVED}(?:場合|とき)")
# The writer's own act in a polite page (「…発行します」「…通知いたします」), not a request (…してください).
_WRITERS_OWN_ACT = re.compile(r"(?:(?<![てとた])(?<!お願い)(?<!お願)します|(?<![てと])(?<!お願い)(?<!お願)いたします)。?$")
# …unless it states a rule itself (「…は禁止します」「原則禁止とします」「承認を求めます」)
_RULE_WORD = re.compile(r"禁止|不可|認め|求め|義務|必要|限り|除き|承認|許可|承諾|遵守|守る|守っ")
_MARKER = re.compile(r"^[【\[［<＜](禁止|必須|推奨|努力)[】\]］>＞]\s*")
_WIKI_MARKER = re.compile(r"^\*{0,2}(禁止|必須|推奨)\*{0,2}(?:[\s\u3000]+|[:：])")   # a wiki's 「**禁止** …」 (bold read or not)
# A table of what may be done: 作業 / 可否 (○ × 要承認) / 備考, its row read as one line
_CELL = re.compile(r"(?:^|[\s\u3000])(×|✕|△?要承認|○|△)(?:[\s\u3000]|$)")


# A table cell under a column that says what its cells are, its name before it (knowledge/parser/passes.py, _column_tables):
# 「してはいけないこと：…」「NG例：…」 forbid, 「OK例：…」 is what to do, 「してよいこと：…」 allows
# (among them the columns that say who acts in their cells: 「場面 | やること」, 「違反の内容 | 市がとる措置」)
ACTOR_COLUMNS = r"(?:やる|する|行う)こと|(?:市|本市|甲|発注者|委託者)(?:が|の)(?:とる|講ずる|行う)?(?:措置|対応)"
COLUMN_NAMES = (rf"(?:NG|OK|ＮＧ|ＯＫ)例?|{ACTOR_COLUMNS}|(?:悪い|ダメな|だめな|誤った|良い|よい|正しい)例|×|不可|可|○"
                r"|(?:しては|やっては|行っては)(?:いけない|ならない)(?:こと)?|禁止(?:事項|行為)"
                r"|(?:しても|して|やって)(?:よい|良い|いい)(?:こと)?")
_COLUMN_PREFIX = re.compile(rf"^(?P<no>{COLUMN_NAMES})[:：]", re.I)
_NO_COLUMN = re.compile(r"^(?:NG|ＮＧ)|^(?:悪い|ダメな|だめな|誤った)|^×|^不可|いけない|ならない|^禁止", re.I)
_MAY_COLUMN = re.compile(r"^(?:可|(?:しても|して|やって)(?:よい|良い|いい)(?:こと)?)$")   # (not ○: in a good/bad table it is the way to do it)
_DO_COLUMN = re.compile(r"^(?:OK|ＯＫ)|^(?:良い|よい|正しい)|^(?:やる|する|行う)こと$", re.I)


# 「×パスワードを付箋に書いて貼る」: an item marked as not to be done (the parser reads it as an item of its own)
CROSS_ITEM = re.compile(r"^[×✕✖](?=[^\s\u3000×✕✖0-9０-９])")
# A column whose cells are what the city does (「違反の内容 | 市がとる措置」): they ask nothing of the worker
_CITY_COLUMN = re.compile(rf"^{_CITY}(?:が|の)(?:とる|講ずる|行う)?(?:措置|対応)$")


def _column(t: str) -> Judgement | None:
    m = _COLUMN_PREFIX.match(t)
    if not m:
        return None
    name, own = m.group("no"), judge(t[m.end():])
    if _NO_COLUMN.search(name):
        if own.verdict == APPROVAL:
            return Judgement(APPROVAL, f"「{name}」の欄だが、市（甲）の許可・承認による例外がある: {own.reason}")
        step = _step_first(t[m.end():])
        if step:
            return Judgement(step[0], f"「{name}」の欄: {step[1]}")
        return Judgement(PROHIBITED, f"「{name}」の欄に掲げる行為（行ってはならない）")
    if _CITY_COLUMN.match(name):
        return Judgement(INFO, f"「{name}」の欄に掲げる市（甲）の措置（受託者に求める行為ではない）")
    if _MAY_COLUMN.match(name) and own.verdict != APPROVAL:
        # 「可：…撮影すること（撮影前に告知する）」: what may be done, its 「こと」 no duty
        return Judgement(INFO, f"「{name}」の欄に掲げる行為（行ってよい）")
    if _DO_COLUMN.search(name) and own.verdict in (None, INFO):
        return Judgement(REQUIRED, f"「{name}」の欄に掲げる行動（このとおり行う）")
    if own.verdict in (None, INFO, PROHIBITED) and not _DO_COLUMN.search(name):
        return Judgement(INFO, f"「{name}」の欄に掲げる行為（行ってよい）")
    return own


def _marked(t: str, raw: str) -> Judgement | None:
    """A checklist line's marker (【禁止】【必須】【推奨】) or a table row's 可否 cell (in the text as written,
    its cells apart), which say the label."""
    col = _column(unicodedata.normalize("NFKC", raw))
    if col:
        return col
    if CROSS_ITEM.match(raw):
        # 「×パスワードを付箋に書いて貼る」: an item marked as not to be done (an NG box, a ×-list)
        route = _approval_route(t) or _proviso_or_route("", "".join(_sentences(t)[1:]))
        if route:
            return Judgement(APPROVAL, f"「×」の項目だが、市（甲）の許可・承認による例外がある（「{route}」）")
        return Judgement(PROHIBITED, "「×」と示された項目（行ってはならない）")
    if _NEEDS_APPROVAL_MARK.search(raw) and not re.search(r"承認不要|「[（(]要承認[）)]」", raw):
        return Judgement(APPROVAL, "「（要承認）」と示された行（市の承認を得て行う）")
    m = _MARKER.match(t)
    bold = None if m else _WIKI_MARKER.match(raw)
    if bold:                   # read as the bracketed marker it stands for
        t = f"【{bold.group(1)}】{_plain(_clean(raw[bold.end():]))}"
        m = _MARKER.match(t)
    if m:
        rest = t[m.end():]
        if m.group(1) == "禁止":
            route = _approval_route(rest)
            if route:
                return Judgement(APPROVAL, f"【禁止】の行だが、市（甲）の許可・承認による例外がある（「{route}」）")
            step = _step_first(rest)
            if step:
                return Judgement(step[0], f"【禁止】の行: {step[1]}")
            return Judgement(PROHIBITED, "【禁止】と示された行")
        if m.group(1) in ("推奨", "努力"):
            return Judgement(ENCOURAGED, f"【{m.group(1)}】と示された行")
        own = _sentence_core(rest, "")[0]
        if own in (PROHIBITED, APPROVAL):      # 【必須】…読み上げないこと: the line's own wording forbids
            return Judgement(own, "【必須】の行だが、その文が禁止・承認を定める")
        return Judgement(REQUIRED, "【必須】と示された行")
    c = _CELL.search(raw)
    if c and len(t) < 160:
        mark = c.group(1)
        if mark in ("×", "✕"):
            route = _proviso_or_route("", raw[c.end():]) or _approval_route(raw[c.end():])
            if route:   # 「×　ただし、市が承認した場合は、この限りでない。」
                return Judgement(APPROVAL, f"可否の表で「×」だが、市（甲）の許可・承認による例外がある（「{route}」）")
            return Judgement(PROHIBITED, "可否の表で「×」（行ってはならない）")
        if mark.endswith("要承認"):
            return Judgement(APPROVAL, "可否の表で「要承認」（市の承認を得て行う）")
        if mark == "△":     # 条件付きで可: allowed only as the table's note says (the city's approval, as a rule)
            return Judgement(APPROVAL, "可否の表で「△」（条件付きで可。市の承認などを得て行う）")
        note = raw[c.end():].strip(" \u3000－-")
        v = judge(note).verdict if note else None
        return Judgement(v if v in (REQUIRED, PROHIBITED, ENCOURAGED) else INFO,
                         "可否の表で「○」（行ってよい）" + ("。備考が求める行為あり" if v in (REQUIRED, PROHIBITED, ENCOURAGED) else ""))
    return None


def _city_case(lead_in: str, case: str) -> bool:
    """Whether the case is the city's approval among those a prohibition excepts (「次の各号のいずれかに該当する
    場合を除き」 / 「あらかじめ市の承認を得た場合」), not the law's or the contractor's own people's."""
    c = _clean(case)
    m = _CASE_APPROVED.search(c)
    return bool(_EXCEPT_CASES.search(_clean(lead_in)) and m and not _internal(c, m.start()))


def _step_first(item: str) -> tuple[str, str] | None:
    """The label of a bare item under a prohibition read as one sentence with it, when that sentence is
    「Xしなければ（せずに）Yしてはならない」 (rule 7): X's, not the prohibition's."""
    t = _plain(_clean(item))
    if not re.search(r"[ぁ-ゖ得出見経]ずに|(?<=[ぁ-ゖ得出見経])ないで|なければ|(?<=[るす])まで", t):
        return None
    if re.search(_OK, t) or "指示" in t:
        # an approval (the city's, or the contractor's own people's) is the item's own wording; the city's
        # instruction is no step the worker takes (「市の指示を受けずに補修すること」 stays forbidden, rule 3)
        return None
    v, why = _sentence_core(re.sub(r"こと。?$", "てはならない。", t), "")
    return (v, why) if v in (REQUIRED, APPROVAL) else None


def _proviso_of_item(text: str) -> str | None:
    """The city's approval route in a bare item's own ただし sentence, or None."""
    for x in _sentences(_clean(text))[1:]:
        if not x.startswith("ただし"):
            continue
        m = _PROVISO_ROUTE.search(x) or _EXCEPT_APPROVED.search(x)
        if m and not _internal(x, m.start()):
            return m.group(0)[:40]
    return None


_ITEM_NO = r"([〇一二三四五六七八九十0-9０-９]+)"
_IROHA = "アイウエオカキクケコサシスセソ"
_KANA_ITEMS = re.compile(r"(?<![ァ-ヶ])[アイウエオカキクケコサシスセソ](?:(?:及び|並びに|又は|、|・)[アイウエオカキクケコサシスセソ])*(?=に掲げる|の行為)")
_ITEM_RANGE = re.compile(rf"第{_ITEM_NO}号(?:から第{_ITEM_NO}号まで)?")


def _proviso_items(text: str, first_person: bool = False) -> tuple[set[int], str] | None:
    """The items a lead-in's ただし sentence is limited to (「ただし、第一号に掲げる行為について、…この限りでない。」)
    and the label of the lead-in without it; None when the proviso names no item (it covers them all)."""
    sentences = _sentences(_clean(text))
    proviso = next((x for x in sentences[1:] if x.startswith("ただし")), None)
    if proviso is None or "前各号" in proviso or "各号" in proviso:
        return None
    nums: set[int] = set()
    for m in _KANA_ITEMS.finditer(proviso):      # 「ただし、イ及びウに掲げる行為について、…」
        nums.update(_IROHA.index(k) + 1 for k in re.findall(r"[アイウエオカキクケコサシスセソ]", m.group(0)))
    for m in _ITEM_RANGE.finditer(proviso):
        a = to_int(m.group(1))
        b = to_int(m.group(2)) if m.group(2) else a
        nums.update(range(a, max(a, b) + 1))
    if not nums:
        return None
    rest = judge("".join(x for x in sentences if x is not proviso), first_person).verdict
    return (nums, rest) if rest not in (None, INFO, APPROVAL) else None


_NOTE_KEY = re.compile(r"(?:^|\.)n\d+$")   # the parser's key of a ※ / （注） note


# A heading that says what its bare items are (rule 10, the heading read as their lead-in): 「NG」「これだけは絶対禁止」
# 「してはいけないこと」 over noun items forbid them, 「OK」「やること」 asks them; the heading itself stays 規定
_TITLE_FORBIDS = re.compile(r"^(?:NG|ＮＧ|×|✕)例?$|禁止(?:事項|行為)?$|(?:しては|やっては|行っては)(?:いけない|ならない)こと$", re.I)
_TITLE_ASKS = re.compile(r"^(?:OK|ＯＫ)例?$|^(?:やる|する|行う)こと$", re.I)


def _title_gives(title: str) -> str | None:
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title or ""))
    t = re.sub(r"\([^()]{1,15}\)$", "", t)       # 「禁止行為（第４条関係）」: the note says where it is cited from
    if not t or re.search(r"[。、]", t) or len(t) > 20:
        return None
    if _TITLE_FORBIDS.search(t):
        return PROHIBITED
    if _TITLE_ASKS.search(t):
        return REQUIRED
    return None


# 「別表に掲げる行為をしてはならない。」: an article that gives its rule to the rows of a 別表 (別紙, 別記, 別添) standing apart
# from it; the part is named the same way in its own title (「別表」「別表第１」「別表１（第４条関係）」)
_PART = r"(別[表紙記添])(?:第)?([0-9]*)"        # the part's kind and number, as the article and the title both name it
_PART_REF = re.compile(_PART + r"(?:\([^()]{1,15}\))?(?:に(?:掲げる|定める|記載(?:の|する|した|された)|示す|列記する)|の(?:とおり|行為|事項))")
_PART_TITLE = re.compile("^" + _PART)


def _parts_referred(text: str) -> list[tuple[tuple[str, str], bool]]:
    """The parts whose rows the sentence rules on, each with whether the sentence calls them prohibitions
    (「別表に定める禁止事項を守らなければならない。」: a duty to keep rows that are each a 禁止); not a part that lists its
    exceptions (「別表に掲げる場合を除き、…してはならない。」: those rows are what may be done)."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return [((m.group(1), m.group(2)), bool(re.match(r"禁止(?:事項|行為)|禁止され|してはならない(?:事項|行為)", t[m.end():])))
            for m in _PART_REF.finditer(t) if not re.match(r"[^、。]{0,8}?(?:除|以外|場合|とき)", t[m.end():])]


def _part_named(title: str) -> tuple[str, str] | None:
    m = _PART_TITLE.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", title or "")))
    return (m.group(1), m.group(2)) if m else None


_ROW_KEY = re.compile(r"(?:^|[.:])r\d+$")       # the parser's key of a table row
# A checklist table's first column (チェック項目 / 点検項目 / 確認事項): each row below is a check to make
_CHECK_HEADER = re.compile(r"^(?:チェック|点検|確認)(?:項目|内容|事項)\s*[:：]")


def _own_rule_over(parent: str, ptext: str, headings: set[str], first_person: bool = False) -> bool:
    """The parent is a finished rule sentence of its own that introduces no list (no 次の／以下の…, no closing ：)."""
    t = _clean(ptext)
    if parent in headings or not t.endswith("。") or _LEAD_IN.search(t) or re.search(r"[：:]", t):
        return False
    if re.search(r"(?:次|以下|下記|別記)(?:の|に)", t):
        return False
    j = judge(ptext, first_person)
    return j.verdict not in (None, INFO) and not j.bare


def assign(clauses: list[tuple], first_person: bool = False) -> dict[str, tuple[str, str]]:
    """(key, parent key, text) in document order -> {key: (verdict, reason)}; ``first_person``: the document
    is a pledge the worker signs (see ``first_person()``).

    A unit with its own modality keeps it. A bare item (a noun, or a plain 「…すること。」)
    takes the label of the nearest ancestor that gives one; a heading stays 規定.
    """
    out: dict[str, tuple[str, str]] = {}
    gives: dict[str, str | None] = {}  # the label a unit passes to bare items below it
    headings: set[str] = set()
    limited: dict[str, tuple[set[int], str]] = {}   # lead-in -> (the items its ただし names, its label without it)
    place: dict[str | None, int] = {}                # how many units came under each parent so far
    texts: dict[str, str] = {}
    checks: dict[str | None, str] = {}               # parent -> the header row of the checklist table under it
    referred: dict[tuple[str, str], tuple[str, str]] = {}   # (別表, number) -> (the 禁止 / 許可・承認 an article gives its rows, that article)
    parts: dict[str, str] = {}                       # a 別表's key -> the article that gives its rows their label
    parents = {c[1] for c in clauses}
    for key, parent, text, *title in clauses:
        texts[key] = text
        j = judge(text, first_person)
        inherited = gives.get(parent) if parent else None
        if _NOTE_KEY.search(key) and j.verdict is not None:
            # a ※ note (「(4)に該当する…従事者は、…担当を交替すること。」) says its own rule; its item's does not flow to it
            out[key] = (j.verdict, j.reason)
            gives[key] = None
            continue
        place[parent] = place.get(parent, 0) + 1
        row = bool(_ROW_KEY.search(key))
        if row and _CHECK_HEADER.match(unicodedata.normalize("NFKC", text)):
            checks[parent] = key          # a checklist's header row (チェック項目 | 頻度 | 担当): no rule itself
        elif not row:
            checks.pop(parent, None)
        elif parent in checks and j.verdict in (None, INFO):
            # a row of a checklist table: a check the worker is to make as often as the row says (rule 9)
            out[key] = (REQUIRED, "点検表（チェック項目）の行: 定められた頻度で行う確認・点検")
            gives[key] = REQUIRED
            continue
        if parent in limited and j.bare and inherited == APPROVAL and place[parent] not in limited[parent][0]:
            # 「ただし、第一号に掲げる行為について、…この限りでない。」: the way out is the first item's alone
            rest = limited[parent][1]
            out[key] = (rest, f"柱書き（リード文）の{LABELS[rest]}が及ぶ項目（ただし書の例外は他の号に限られる）")
            gives[key] = rest
            continue
        for part, forbids in _parts_referred(text):
            if forbids or j.verdict in (PROHIBITED, APPROVAL):
                referred.setdefault(part, (PROHIBITED if forbids else j.verdict, text))
        if j.verdict is None and not j.bare:          # a heading: passes its parent's label on
            out[key] = (INFO, j.reason)
            part = referred.get(_part_named(title[0])) if title and not text and not parent else None
            # the 別表 an article forbids (「別表に掲げる行為をしてはならない。」): its bare rows are forbidden (rule 10)
            if part:
                parts[key] = part[1]
            gives[key] = (part[0] if part else None) or (_title_gives(title[0]) if title and not text else None) \
                or inherited
            headings.add(key)
            continue
        # A lead-in written as a section's first paragraph (「受注者は、次の対策に努めること。」) governs
        # the sub-lists that follow it under the same heading; a later numbered paragraph's lead-in
        # (「(2) 支援員は、次に掲げる行為をしてはならない。」) governs only its own items, not (3), (4).
        # (a lead-in with items of its own, 「次のことは行わないでください。」 over its <ul>, governs those alone)
        if parent in headings and place[parent] == 1 and _LEAD_IN.search(_clean(text)) and j.verdict not in (None, INFO) \
                and key not in parents:
            gives[parent] = j.verdict
        if j.bare and j.verdict not in (None, INFO) and inherited in (PROHIBITED, APPROVAL) and parent \
                and _own_rule_over(parent, texts.get(parent, ""), headings, first_person) and _clean(text).endswith("。"):
            # 「…放置しないでください。」 (a panel's rule) then a list 「…入れてください。」: a finished rule that introduces
            # nothing is no lead-in; a sentence of the list under it keeps its own label (rule 10 needs a lead-in)
            out[key] = (j.verdict, j.reason)
            gives[key] = j.verdict
            continue
        forbidden_item = bool(j.bare and inherited == PROHIBITED and parent)
        route = _proviso_of_item(text) if forbidden_item else None
        if route:
            # 「…持ち帰ること。ただし、市の承認を得たときは、この限りでない。」 under 「次に掲げる行為をしてはならない。」:
            # forbidden, with the city's approval as the way out in the item itself (原則禁止 → 許可・承認が必要)
            out[key] = (APPROVAL, f"柱書き（リード文）の禁止が及ぶが、同じ項目に市（甲）の許可・承認による例外がある（「{route}」）")
        elif forbidden_item and _city_case(texts.get(parent, ""), text):
            # 「次の各号のいずれかに該当する場合を除き、…してはならない。」 and its case 「あらかじめ市の承認を得た
            # 場合」: the way out the city gives (rule 3); a case of law or procedure stays 禁止
            out[key] = (APPROVAL, "柱書き（リード文）の禁止の例外となる場合のうち、市（甲）の許可・承認を得た場合")
        elif forbidden_item and (step := _step_first(text)):
            # 「…を撤去せずに機器室を離れること。」 under 「次に掲げる行為をしてはならない。」 reads 「撤去せずに離れては
            # ならない」: labelled by the step to take first (rule 7)
            out[key] = (step[0], f"柱書き（リード文）の禁止と合わせて読む項目: {step[1]}")
        elif j.bare and inherited and parent in parts:
            article = _clean(parts[parent])
            out[key] = (inherited, f"この別表を引く条文（「{article[:40]}{'…' if len(article) > 40 else ''}」）の{LABELS[inherited]}が及ぶ行")
        elif j.bare and inherited and parent:
            out[key] = (inherited, f"柱書き（リード文）の{LABELS[inherited]}が及ぶ項目")
        else:
            out[key] = (j.verdict or INFO, j.reason)
        if j.verdict == APPROVAL:
            items = _proviso_items(text, first_person)
            if items:
                limited[key] = items
        own = j.verdict if j.verdict not in (None, INFO) else None
        # a sub-list title under a lead-in ("端末・周辺機器の利用") passes the lead-in's label on
        gives[key] = own if own and not j.bare else (inherited or own)
    return out


def judge_stored(doc_clauses: list[dict], preamble: str = "") -> dict[str, tuple[str, str]]:
    """Each stored clause's verdict and why, judged again: the document's clauses as stored (id,
    parent_id, text, heading, in document order), lead-ins included (``preamble``: the document's,
    which tells a pledge the worker signs). The same as judging them when the document loaded."""
    def title(c):
        h = c.get("heading")
        return h[-1] if isinstance(h, (list, tuple)) and h else ""
    judged = assign([(c["id"], c.get("parent_id"), c["text"], title(c)) for c in doc_clauses], first_person(preamble))
    return {c["id"]: judged.get(c["id"], (INFO, "")) for c in doc_clauses}


def reasons(doc_clauses: list[dict], preamble: str = "") -> dict[str, str]:
    return {cid: why for cid, (_, why) in judge_stored(doc_clauses, preamble).items()}


def reason(doc_clauses: list[dict], clause_id: str, preamble: str = "") -> str:
    """Why one stored clause carries its verdict (see judge_stored)."""
    return reasons(doc_clauses, preamble).get(clause_id, "")


@lru_cache(maxsize=1)
def rules_stamp() -> str:
    """What the stored verdicts were judged by: this module's text. Stored verdicts judged by other
    rules (an update of mamoru) are judged again on the next start (knowledge/library.py)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
