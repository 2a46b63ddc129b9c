#include "schedule/cron_schedule.h"

namespace alertdigest {}  // namespace alertdigest
