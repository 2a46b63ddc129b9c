#include "core/cron.h"

namespace alertdigest {}  // namespace alertdigest
