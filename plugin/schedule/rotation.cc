#include "schedule/rotation.h"

namespace alertdigest {}  // namespace alertdigest
