// Compact binary encoding of a LabelSet for storage: per label, varint(len) name varint(len)
// value. Values may hold any bytes (CR/LF, NUL), which text encodings would have to escape.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/label_set.h"

namespace alertdigest {

std::string EncodeLabels(const LabelSet& labels);
// nullopt when the bytes are not a valid encoding (a corrupt row).
std::optional<LabelSet> DecodeLabels(std::string_view bytes);

}  // namespace alertdigest
