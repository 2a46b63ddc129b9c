#include "core/ack_token.h"

namespace alertdigest {}  // namespace alertdigest
