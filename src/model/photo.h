// model/photo.h — the applicant's one-inch photo, carried inline as base64.
//
// The photo ends up inside a signed, archived PDF, so it must really be the image it claims to be: the decoded
// bytes start with the JPEG or PNG signature that matches media_type, stay under kMaxPhotoBytes so one body
// cannot blow up a document (a one-inch photo is tens of kilobytes), and decode whole within the pixel caps of
// image/decode.h (a corrupt, truncated or oversized image is refused here, before anything is rendered).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "common/messages.h"

namespace zhiping::model {

constexpr size_t kMaxPhotoBytes = 2 * 1024 * 1024;

// Standard base64 (RFC 4648 §4). Whitespace (line-wrapped base64) is skipped; padding may be omitted but, when
// present, must be correct. False on any other character or a truncated group.
bool DecodeBase64(const std::string& text, std::string* out);

// Standard base64 without line breaks (what DecodeBase64 reads back): the sample photo, test bodies.
std::string EncodeBase64(const std::string& bytes);

// "" when the media type is one we accept (image/jpeg, image/png).
std::string PhotoMediaTypeProblem(const std::string& media_type);

// "" when `data` is base64 of an image of `media_type` within the size limit that decodes whole; otherwise the
// rule ("cannot be read as a PNG: IDAT: CRC error"), naming `media_type_pointer` when the bytes are a different
// kind of image than the media type says. Decodes the image (milliseconds for a one-inch photo; bounded by the
// pixel cap) and leaves it in image/decode_memo.h for the layout of the same request.
std::string PhotoDataProblem(const std::string& media_type, const std::string& data,
                             const std::string& media_type_pointer);
// The same two checks as messages of the catalog (nullopt when fine); the functions above are their English.
std::optional<Message> PhotoMediaTypeMessage(const std::string& media_type);
std::optional<Message> PhotoDataMessage(const std::string& media_type, const std::string& data,
                                        const std::string& media_type_pointer);

}  // namespace zhiping::model
