// common/message_catalog.h — THE table of every rule a user can break: one line per message, X-macro style.
//
//   X(enumerator, "stable-code", "param names", "中文句子", "English sentence")
//
// The code is what scripts match on (problem+json errors[].code); it never changes once published. The two
// sentences are templates: {name} is replaced by the argument of that name, in the order the params list them
// (common/messages.h MessageArg). The English sentences are the texts zhiping answered before it spoke Chinese,
// kept word for word so `--lang en` / `Accept-Language: en` scripts still match. tests/common/messages_test.cpp
// walks this table (a Chinese sentence for every code, the same placeholders in both, docs/messages.md lists
// every code) — add a line here, never a sentence elsewhere. Included by common/messages.h (the enum) and
// common/messages.cpp (the texts) only.
//
// Chinese sentences name the rule only; where it is (第 4 位申报人（张三）身份证号) is said before them
// (model/field_labels.h), joined by "：".
#pragma once

// clang-format off
#define ZHIPING_MESSAGES(X) \
  /* Free text: a stage that has no code yet (it is shown as it was written, in both languages). */ \
  X(kText, "text", "text", "{text}", "{text}") \
  /* The closing entry of a cut list (common/problem.h). */ \
  X(kMoreProblems, "more-problems", "n max", "……另有 {n} 个问题未列出（只列出前 {max} 个）", \
    "… and {n} more problems (only the first {max} are listed)") \
  X(kMoreProblem, "more-problem", "n max", "……另有 {n} 个问题未列出（只列出前 {max} 个）", \
    "… and {n} more problem (only the first {max} are listed)") \
  /* Shape and type (model/checker.cpp). */ \
  X(kRequired, "required", "", "必须填写", "required") \
  X(kNotObject, "type.object", "", "应为 JSON 对象（{…}）", "must be a JSON object") \
  X(kNotArray, "type.array", "", "应为 JSON 数组（[…]）", "must be an array") \
  X(kNotString, "type.string", "", "应为文字（JSON 字符串）", "must be a string") \
  X(kNotNumber, "type.number", "", "应为数字", "must be a number") \
  X(kNotInteger, "type.integer", "", "应为整数", "must be a whole number") \
  X(kNotBool, "type.bool", "", "应为 true 或 false", "must be true or false") \
  X(kArrayEmpty, "array.empty", "", "不能为空，至少要有一项", "must not be empty") \
  X(kArrayTooFew, "array.too-few", "min", "至少要有 {min} 项", "must have at least {min} entries") \
  X(kArrayTooMany, "array.too-many", "max has", "至多 {max} 项（现有 {has} 项）", \
    "must have at most {max} entries (has {has})") \
  X(kOutOfRange, "range", "min max", "应在 {min} 至 {max} 之间", "must be between {min} and {max}") \
  /* Text (model/checker.cpp TextProblem). */ \
  X(kTextBlank, "text.blank", "", "不能为空白", "must not be empty") \
  X(kTextTooLong, "text.too-long", "max has", "至多 {max} 个字（现有 {has} 个）", \
    "must be at most {max} characters (has {has})") \
  X(kTextBadUtf8, "text.utf8", "offset", "含有不是 UTF-8 的字节（第 {offset} 字节处）", \
    "must be valid UTF-8 (bad byte at offset {offset})") \
  X(kTextControl, "text.control", "found", "应为一行文字，不能含控制字符（发现 {found}）", \
    "must be a single line without control characters (found {found})") \
  X(kTextControlMultiline, "text.control-multiline", "found", "除换行外不能含控制字符（发现 {found}）", \
    "must not contain control characters other than line breaks (found {found})") \
  X(kTextInvisible, "text.invisible", "found kind", "不能含不可见字符（发现 {found}，{kind}）", \
    "must not contain invisible characters (found {found}, {kind})") \
  X(kTextCombining, "text.combining", "found", "组合符号前面必须有字符（发现 {found}）", \
    "must not have a combining mark without a character before it (found {found})") \
  X(kChoiceGender, "choice.gender", "", "应为“男”或“女”", "must be 男 or 女") \
  X(kBadId, "id", "", "应为 1 至 64 位英文字母、数字或 . _ -（不能是 . 或 ..）", \
    "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (not . or ..)") \
  X(kNotUnique, "unique", "other", "与{other}重复", "must be unique (same as {other})") \
  /* Dates (model/checker.cpp Date, RequireOrder). */ \
  X(kDateFormat, "date.format", "", "应为日期，写作 YYYY-MM-DD", "must be a date YYYY-MM-DD") \
  X(kDateOrMonthFormat, "date.format-or-month", "", "应为日期 YYYY-MM-DD 或年月 YYYY-MM", \
    "must be a date YYYY-MM-DD or a month YYYY-MM") \
  X(kDateMonthOnly, "date.month-only", "", "应为完整日期 YYYY-MM-DD（这里只写年月不够）", \
    "must be a full date YYYY-MM-DD (a month alone is not enough here)") \
  X(kDateNotReal, "date.not-real", "text", "不是日历上有的日期（{text}）", "is not a real calendar date ({text})") \
  X(kDateYearRange, "date.year-range", "", "年份应在 1900 至 2100 之间", "year must be between 1900 and 2100") \
  X(kDateFuture, "date.future", "today", "不能晚于今天（今天是 {today}）", "must not be in the future (today is {today})") \
  X(kDateNotAfter, "date.order", "other text", "应晚于{other}（{text}）", "must be after {other} ({text})") \
  X(kDateBefore, "date.order-or-same", "other text", "不能早于{other}（{text}）", "must not be before {other} ({text})") \
  /* Applicant and round rules (model/validate.cpp). */ \
  X(kEmail, "email", "", "应为电子邮箱地址", "must be an e-mail address") \
  X(kPhone, "phone", "", "应为电话号码：7 至 20 位数字，可带 +、-、空格或括号", \
    "must be a phone number: 7 to 20 digits, optionally with +, -, spaces or parentheses") \
  X(kAppraisalYearRepeated, "appraisal.year-repeated", "other", "考核年度重复（与{other}相同）", \
    "must not repeat a year (same as {other})") \
  X(kQualifiedFromRequired, "result.qualified-from-required", "other", "{other}为 true（评审通过）时必须填写", \
    "required when {other} is true") \
  X(kResultOtherApplicant, "result.applicant-mismatch", "other id", "应与{other}（{id}）一致", \
    "must match {other} ({id})") \
  X(kResultNoApplicant, "result.no-applicant", "id", "申报人名单中没有申报编号为 {id} 的人", \
    "no applicant with id {id} in /applicants") \
  X(kDocNoZeroPadded, "doc-no.zero-padded", "", "发文字号的序号不能用 0 补位（GB/T 9704 §7.2.5：〔2022〕18号）", \
    "the serial number must not be padded with zeros (GB/T 9704 §7.2.5: 〔2022〕18号)") \
  X(kPublicityTooShort, "notice.period-too-short", "days", "公示期至少应有 5 个工作日（现有 {days} 个）", \
    "the publicity period must last at least 5 working days (has {days})") \
  X(kPublicityTooShortHolidaysUnknown, "notice.period-too-short-holidays-unknown", "days year", \
    "公示期至少应有 5 个工作日（现有 {days} 个；{year} 年的法定节假日未知，只扣除了周末：请用配置项 calendar.file 补上）", \
    "the publicity period must last at least 5 working days (has {days}; the public holidays of {year} are not " \
    "known, only weekends were left out: add them with calendar.file)") \
  /* The result notice publishes only the qualified (model/qualification.h). */ \
  X(kListedSeniorNotPassed, "result-notice.senior-not-passed", "other", \
    "列为取得资格（填写了资格取得时间），但{other}不是“通过”：未通过高评委评审的人员不能公布", \
    "listed as qualified (qualified_from given) but {other} is not true: only applicants the senior committee passed are published") \
  X(kListedExamNotPassed, "result-notice.exam-not-passed", "other", \
    "列为取得资格（填写了资格取得时间），但{other}为 false：理论测试未合格的人员不能公布", \
    "listed as qualified (qualified_from given) but {other} is false: applicants who failed the exam are not published") \
  X(kListedExamBelowPassLine, "result-notice.exam-below-pass-line", "score line", \
    "列为取得资格（填写了资格取得时间），但理论测试成绩 {score} 分低于合格线 {line} 分：不能公布", \
    "listed as qualified (qualified_from given) but the exam score {score} is under the pass line {line}: not published") \
  X(kNoneListed, "result-notice.none-listed", "", \
    "没有可公布的人员：至少要有一条评审结果填写了资格取得时间且评审通过", \
    "nobody to publish: at least one result must have qualified_from and have passed") \
  /* ID numbers, GB 11643 (model/id_number.cpp, model/validate.cpp). */ \
  X(kIdNumberLength, "id-number.length", "has", "应为 18 位（现有 {has} 位）", "must be 18 characters (has {has})") \
  X(kIdNumberShape, "id-number.shape", "", "应为 17 位数字加 1 位数字或 X", "must be 17 digits followed by a digit or X") \
  X(kIdNumberRegion, "id-number.region", "region", "地区码 {region} 不存在", "region code {region} does not exist") \
  X(kIdNumberBirth, "id-number.birth", "digits", "号码中的出生日期 {digits} 不是真实日期", \
    "birth date {digits} in the number is not a real date") \
  X(kIdNumberChecksum, "id-number.checksum", "digit", "校验位应为 {digit}", "checksum digit should be {digit}") \
  X(kIdNumberBirthMismatch, "id-number.birth-mismatch", "date other text", \
    "号码中的出生日期 {date} 与{other}（{text}）不符", "birth date {date} in the number does not match {other} ({text})") \
  X(kIdNumberGenderMismatch, "id-number.gender-mismatch", "whose other gender", \
    "号码是{whose}，而{other}是{gender}", "the number is a {whose} but {other} is {gender}") \
  /* Photos (model/photo.cpp). */ \
  X(kPhotoMediaType, "photo.media-type", "", "应为 image/jpeg 或 image/png", "must be image/jpeg or image/png") \
  X(kPhotoDataUrl, "photo.data-url", "", "应为纯 base64 文本，不要带“data:…;base64,”前缀", \
    "must be plain base64, without a \"data:...;base64,\" prefix") \
  X(kPhotoTooLarge, "photo.too-large", "size", "解码后至多 2 MiB（现为 {size}）", \
    "must be at most 2 MiB once decoded (is {size})") \
  X(kPhotoTooLargeAbout, "photo.too-large-about", "size", "解码后至多 2 MiB（约为 {size}）", \
    "must be at most 2 MiB once decoded (is about {size})") \
  X(kPhotoBase64, "photo.base64", "", "应为有效的 base64 文本", "must be valid base64") \
  X(kPhotoEmpty, "photo.empty", "", "不能为空", "must not be empty") \
  X(kPhotoNotImage, "photo.not-image", "", "不是 JPEG 或 PNG 图片", "is not a JPEG or PNG image") \
  X(kPhotoTypeMismatch, "photo.type-mismatch", "format other type", "是 {format} 图片，但{other}写的是 {type}", \
    "is {format} image but {other} says {type}") \
  X(kPhotoUnreadable, "photo.unreadable", "why", "图片无法读取：{why}", "{why}") \
  /* Fonts (render/glyph_coverage.cpp, layout/paragraph.cpp). */ \
  X(kNotUtf8, "utf8", "", "不是有效的 UTF-8 文字", "is not valid UTF-8") \
  X(kGlyphMissing, "font.missing-glyph", "char", "字符 {char} 不在任何已配置的字体中（请在字体角色表中加入含有它的字体）", \
    "character {char} is not in any configured font (add a font that has it to the role map)") \
  X(kGlyphMissingShort, "font.missing-glyph-in-text", "char", "字符 {char} 不在任何已配置的字体中", \
    "character {char} is not in any configured font") \
  /* Input files and bodies (common/json.cpp, common/json_scan.cpp, common/text_encoding.cpp). */ \
  X(kJsonMalformed, "json.malformed", "at why", "{at}：JSON 格式有误，{why}", "malformed JSON at {at}: {why}") \
  X(kJsonMalformedNowhere, "json.malformed-unplaced", "why", "JSON 格式有误，{why}", "malformed JSON: {why}") \
  X(kJsonEmpty, "json.empty", "", "文件是空的（应为一个 JSON 对象 {…}）", \
    "the text is empty (a JSON object {…} is expected)") \
  X(kJsonTrailing, "json.trailing", "found", "JSON 值结束后还有多余内容（{found}）", \
    "unexpected {found} after the end of the JSON value") \
  X(kJsonMemberName, "json.member-name", "found", "这里应为用双引号括起的成员名，实际是 {found}", \
    "expected a member name in double quotes, found {found}") \
  X(kJsonCommaBeforeBrace, "json.comma-before-brace", "", "'}' 前面不能有逗号", "a comma before '}' is not allowed") \
  X(kJsonCommaBeforeBracket, "json.comma-before-bracket", "", "']' 前面不能有逗号", \
    "a comma before ']' is not allowed") \
  X(kJsonColon, "json.colon", "found", "成员名后面应为 ':'，实际是 {found}", \
    "expected ':' after the member name, found {found}") \
  X(kJsonTooDeep, "json.too-deep", "max", "嵌套超过 {max} 层", "nested deeper than {max} levels") \
  X(kJsonObjectComma, "json.object-comma", "found", "成员后面应为 ',' 或 '}'，实际是 {found}", \
    "expected ',' or '}' after a member, found {found}") \
  X(kJsonArrayComma, "json.array-comma", "found", "元素后面应为 ',' 或 ']'，实际是 {found}", \
    "expected ',' or ']' after an element, found {found}") \
  X(kJsonValue, "json.value", "found", "这里应为一个值（对象、数组、字符串、数字、true、false 或 null），实际是 {found}", \
    "expected a value (an object, a list, a string, a number, true, false or null), found {found}") \
  X(kJsonControlInString, "json.control-in-string", "char", "字符串中的控制字符（{char}）必须写成转义形式", \
    "a control character ({char}) inside a string must be written as an escape") \
  X(kJsonBadUtf8, "json.utf8", "", "字符串中有不是 UTF-8 的字节（文件必须是 UTF-8 编码）", \
    "invalid UTF-8 inside a string (the text must be UTF-8)") \
  X(kJsonUnclosedString, "json.unclosed-string", "", "字符串没有结束（缺少右边的 '\"'）", \
    "a string is not closed (its closing '\"' is missing)") \
  X(kJsonBadEscape, "json.bad-escape", "", "字符串中有不认识的转义（可用：\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX）", \
    "an unknown escape in a string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)") \
  X(kJsonBadHex, "json.bad-hex", "", "\\u 后面应为四位十六进制数", "\\u must be followed by four hex digits") \
  X(kJsonLoneLowSurrogate, "json.lone-low-surrogate", "", "\\u 转义是单独的低位代理项（不是字符）", \
    "a \\u escape of a lone low surrogate (not a character)") \
  X(kJsonLoneHighSurrogate, "json.lone-high-surrogate", "", "\\u 转义是单独的高位代理项（后面必须跟低位代理项）", \
    "a \\u escape of a lone high surrogate (it must be followed by a low one)") \
  X(kJsonBadNumber, "json.number", "", "数字的写法不符合 JSON（例如 12、-3.5、6.02e23）", \
    "a number is not written as JSON requires (e.g. 12, -3.5, 6.02e23)") \
  X(kJsonLeadingZero, "json.leading-zero", "", "数字不能以 0 开头（写 7，不要写 07）", \
    "a number must not start with 0 (write 7, not 07)") \
  X(kJsonParser, "json.parser", "why", "解析器拒绝了它：{why}", "{why}") \
  X(kJsonCloseMismatch, "json.close-mismatch", "close open", "{close} 与前面的 {open} 不配对", \
    "{close} does not close {open}") \
  X(kJsonValueBeforeComma, "json.value-before-comma", "", "',' 前面应有一个值", "expected a value before ','") \
  X(kJsonUnclosedAtEnd, "json.unclosed-string-at-end", "", "文件结束时字符串还没有结束", \
    "a string is not closed at the end of the text") \
  X(kJsonTruncated, "json.truncated", "", "文件在括号闭合之前就结束了（可能没有保存完整）", \
    "the text ends before its closing brackets") \
  X(kJsonTrailingText, "json.trailing-text", "", "JSON 值结束后还有多余内容", \
    "unexpected text after the end of the JSON value") \
  X(kJsonElementTooLarge, "json.element-too-large", "", "列表中的一项超过 4 GiB", "a list element larger than 4 GiB") \
  X(kJsonInElement, "json.in-element", "why where", "{why}（在{where}中）", "{why} (in {where})") \
  /* The output format asked for (render/output_format.h: --format, ?format=). */ \
  X(kFormatUnknown, "format.unknown", "format", "输出格式（format）只能是 pdf、ofd 或 xlsx，不能是“{format}”", \
    "format must be pdf, ofd or xlsx (got '{format}')") \
  X(kFormatNotForTemplate, "format.template", "format template allowed", \
    "模板 {template} 不能输出为 {format} 格式（format 只能是 {allowed}）", \
    "format {format} is not an output of template {template} (only {allowed})") \
  /* A bulk job's completion webhook URL (jobs/completion_webhook.h CheckCallbackUrl). */ \
  X(kCallbackScheme, "callback.scheme", "", "回调地址必须以 http:// 或 https:// 开头", \
    "must be an http:// or https:// URL") \
  X(kCallbackHost, "callback.host", "", "回调地址必须写明主机名或 IP 地址", \
    "must name a host, e.g. https://oa.example.gov.cn/zhiping") \
  X(kCallbackUserInfo, "callback.user-info", "", "回调地址不能含用户名或密码（主机名前以 @ 隔开的部分）", \
    "must not contain a user name or password (user:password@)") \
  X(kCallbackTooLong, "callback.too-long", "max has", "回调地址至多 {max} 个字符（现有 {has} 个）", \
    "must be at most {max} characters (has {has})") \
  X(kCallbackCharacters, "callback.characters", "", "回调地址不能含空格、控制字符或汉字等非英文字符（请先做百分号编码）", \
    "must not contain spaces, control or non-ASCII characters (percent-encode them)") \
  X(kCallbackMalformed, "callback.malformed", "why", "不是有效的网址：{why}", "is not a valid URL: {why}") \
  /* The seal image of a visible signature (sign/seal_image.h): named setting, named file. */ \
  X(kSealImageUnreadable, "seal-image.unreadable", "setting file why", "{setting} 指定的印章图像 {file} 无法读取：{why}", \
    "{setting}: the seal image {file} cannot be read: {why}") \
  X(kSealImageFormat, "seal-image.format", "setting file", "{setting} 指定的印章图像 {file} 不是 PNG 或 JPEG 图像", \
    "{setting}: the seal image {file} is not a PNG or JPEG image") \
  X(kSealImageFileSize, "seal-image.file-size", "setting file size max", \
    "{setting} 指定的印章图像 {file} 有 {size} 字节，超过上限 {max} 字节", \
    "{setting}: the seal image {file} has {size} bytes; at most {max} are allowed") \
  X(kSealImagePixels, "seal-image.pixels", "setting file width height min max", \
    "{setting} 指定的印章图像 {file} 为 {width}×{height} 像素；每边应在 {min} 至 {max} 像素之间", \
    "{setting}: the seal image {file} is {width}×{height} pixels; each side must be {min} to {max} pixels") \
  X(kSealImageNotSquare, "seal-image.not-square", "setting file width height", \
    "{setting} 指定的印章图像 {file} 为 {width}×{height} 像素，不是近似正方形（圆形印章的图像应接近正方形）", \
    "{setting}: the seal image {file} is {width}×{height} pixels, far from square (a round seal's image is square)") \
  X(kSealImageDecode, "seal-image.decode", "setting file why", "{setting} 指定的印章图像 {file} 无法解码：{why}", \
    "{setting}: the seal image {file} does not decode: {why}") \
  /* PDF/A output intent (pdf/pdfa.h). */ \
  X(kSrgbProfileMissing, "pdfa.srgb-profile", "file package variable", \
    "找不到色彩配置文件 {file}（归档格式需要它）：请安装软件包 {package}，或用环境变量 {variable} 指定其位置", \
    "the sRGB colour profile {file} cannot be read (PDF/A needs it): install the Debian package {package}, or set {variable}") \
  X(kNotUtf8File, "encoding.gb18030", "", \
    "文件不是 UTF-8 编码，看来是 GBK/GB18030（常见于“另存为”时选了 ANSI 或 GB2312）：请另存为 UTF-8 编码后再提交", \
    "the text is not UTF-8 but looks like GBK/GB18030 (an ANSI or GB2312 save): save it as UTF-8 and send it again") \
  /* The electronic seal's configuration (seal/seal_identity.cpp): {setting} names the key and file. */ \
  X(kSealIncomplete, "seal.incomplete", "missing", "电子印章配置不完整：缺少 {missing}", \
    "the seal identity is incomplete: {missing} is missing") \
  X(kSealKeyNotSm2, "seal.key-not-sm2", "setting", "{setting} 不是 SM2 私钥（OFD 电子印章只能用 SM2 密钥）", \
    "{setting} is not an SM2 private key (the OFD electronic seal needs SM2)") \
  X(kSealCertMismatch, "seal.cert-mismatch", "setting key", "{setting} 中的证书与私钥 {key} 不匹配", \
    "the certificate in {setting} does not belong to the key {key}") \
  X(kSealCertNotValid, "seal.cert-not-valid", "setting from until", \
    "{setting} 中的证书现在不在有效期内（{from} 至 {until}），可能已过期", \
    "the certificate in {setting} is not valid now (valid from {from} to {until}); it may have expired") \
  X(kSealFileInvalid, "seal.file-invalid", "setting why", "{setting} 不是可用的电子印章（GB/T 38540 第 4 版）：{why}", \
    "{setting} is not a usable electronic seal (GB/T 38540 SESeal v4): {why}") \
  X(kSealNotValidNow, "seal.not-valid-now", "setting from until", "{setting} 中的印章现在不在有效期内（{from} 至 {until}）", \
    "the seal in {setting} is not valid now (valid from {from} to {until})") \
  X(kSealCertNotListed, "seal.cert-not-listed", "setting seal", "{setting} 中的证书不在印章 {seal} 允许的签章人证书列表中", \
    "the certificate in {setting} is not among the signer certificates the seal {seal} allows") \
  X(kSealPictureType, "seal.picture-type", "setting", "{setting} 的印章图片不是 PNG 或 JPEG", \
    "the seal picture of {setting} is not a PNG or JPEG") \
  X(kSealPictureTooLarge, "seal.picture-too-large", "setting size max", \
    "{setting} 的印章图片太大（{size} 字节，至多 {max} 字节）", \
    "the seal picture of {setting} is too large ({size} bytes; at most {max})") \
  X(kSealPictureSize, "seal.picture-size", "setting width height min max", \
    "{setting} 的印章图片尺寸不合适（{width}×{height} 像素，每边应在 {min} 至 {max} 像素之间）", \
    "the seal picture of {setting} has the wrong size ({width}x{height} pixels; each side must be {min} to {max})") \
  /* `zhiping verify FILE.ofd` (seal/verify_ofd.cpp): what the report says. */ \
  X(kOfdSealValid, "ofd.seal-valid", "n total", "电子印章 {n}/{total}：有效", "seal {n} of {total}: VALID") \
  X(kOfdSealInvalid, "ofd.seal-invalid", "n total", "电子印章 {n}/{total}：无效", "seal {n} of {total}: INVALID") \
  X(kOfdNoSeal, "ofd.no-seal", "", "没有电子印章", "no electronic seal") \
  X(kOfdSealName, "ofd.seal-name", "name id", "印章：{name}（编码 {id}）", "seal: {name} (code {id})") \
  X(kOfdSigner, "ofd.signer", "who", "签章人：{who}", "signer: {who}") \
  X(kOfdTime, "ofd.time", "time", "签章时间：{time}", "signing time: {time}") \
  X(kOfdDevelopment, "ofd.development", "", "这是开发用印章，不是真实印章", \
    "this is a DEVELOPMENT seal, not a real one") \
  X(kOfdDigestsMatch, "ofd.digests-match", "n", "{n} 个文件的 SM3 摘要全部相符", "the SM3 digests of all {n} files match") \
  X(kOfdFileChanged, "ofd.file-changed", "file", "文件 {file} 在签章后被改动（SM3 摘要不符）", \
    "{file} was changed after sealing (its SM3 digest does not match)") \
  X(kOfdFileMissing, "ofd.file-missing", "file", "签章覆盖的文件 {file} 不在包中", "{file}, which the seal covers, is missing") \
  X(kOfdFileAdded, "ofd.file-added", "file", "文件 {file} 不在签章覆盖范围内（签章后加入）", \
    "{file} is not covered by the seal (added after sealing)") \
  X(kOfdReferenceOutside, "ofd.reference-outside", "ref", "签章引用了包外的路径 {ref}", \
    "the seal refers to {ref}, outside the package") \
  /* Countersigning (issuing/issuer.h Countersign, sign/signer.h Countersign). */ \
  X(kCountersignNoDocument, "countersign.no-document", "batch template", "批次 {batch} 中没有已签发的 {template}", \
    "batch {batch} has no issued {template}") \
  X(kCountersignOneSealPlace, "countersign.one-seal-place", "template", \
    "{template} 的版式只有一个印章位置，不能会签（联合行文才有第二个印章位置）", \
    "the layout of {template} has only one seal place: there is nothing to countersign") \
  X(kCountersignAlreadySigned, "countersign.already-signed", "signer", "该文件已由 {signer} 签署，同一身份不能重复会签", \
    "the document is already signed by {signer}: the same identity cannot countersign it again") \
  X(kCountersignComplete, "countersign.complete", "seals", "该文件的 {seals} 个印章均已签署，无需再会签", \
    "all {seals} seals of the document are signed already") \
  X(kCountersignLayoutChanged, "countersign.layout-changed", "template", \
    "{template} 的模板或字体自签发后已改变，第二个印章的位置可能不同：请先重新签发", \
    "{template}'s template or fonts changed since it was issued, so its seal places may differ: issue it again first") \
  X(kCountersignRaced, "countersign.raced", "template", "{template} 在会签时被他人改动，请重试", \
    "{template} changed while it was being countersigned: try again") \
  X(kOfdSignatureXmlChanged, "ofd.signature-xml-changed", "file", "{file} 与签名值中记录的摘要不符", \
    "{file} does not match the digest (dataHash) in the signed value") \
  X(kOfdSignatureBad, "ofd.signature-bad", "", "SM2 签名值与签章人证书不符", \
    "the SM2 signature does not verify with the signer's certificate") \
  X(kOfdSealSignatureBad, "ofd.seal-signature-bad", "", "印章的制章人签名无效", \
    "the seal maker's signature on the seal does not verify") \
  X(kOfdUntrusted, "ofd.untrusted", "which why", "{which}证书不能链接到受信任的根证书：{why}", \
    "the {which} certificate does not chain to a trusted CA: {why}") \
  X(kOfdChainsOk, "ofd.chains-ok", "", "签章人和制章人证书均链接到受信任的根证书，签章时均在有效期内", \
    "the signer's and the seal maker's certificates chain to a trusted CA and were valid at the signing time") \
  X(kOfdSignerNotListed, "ofd.signer-not-listed", "", "签章人证书不在印章允许的签章人证书列表中", \
    "the signer's certificate is not among those the seal allows") \
  X(kOfdSealNotValidThen, "ofd.seal-not-valid-then", "from until", "签章时印章不在有效期内（{from} 至 {until}）", \
    "the seal was not valid at the signing time (valid from {from} to {until})") \
  X(kOfdNotReadable, "ofd.not-readable", "why", "无法读取签章：{why}", "the seal cannot be read: {why}") \
  /* An output file the user named (-o, --zip, --print…) that cannot be made (common/durable_file.h). */ \
  X(kOutputFolderMissing, "output.folder-missing", "file folder", "无法写入 {file}：文件夹 {folder} 不存在", \
    "cannot write {file}: the folder {folder} does not exist") \
  X(kOutputNotPermitted, "output.not-permitted", "file folder", "无法写入 {file}：没有在文件夹 {folder} 中写文件的权限", \
    "cannot write {file}: no permission to write in the folder {folder}") \
  X(kOutputDiskFull, "output.disk-full", "file", "无法写入 {file}：磁盘已满或超出配额", \
    "cannot write {file}: the disk is full or over its quota") \
  X(kOutputCannotCreate, "output.cannot-create", "file why", "无法写入 {file}：{why}", "cannot write {file}: {why}") \
  /* An input file the user named that is larger than any body (common/command_line.h kMaxInputBytes). */ \
  X(kInputTooLarge, "input.too-large", "file limit", "{file} 超过 {limit}，不能作为数据读入", \
    "{file} is larger than {limit}: not read as data")
// clang-format on
