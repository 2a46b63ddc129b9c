#include "schedule/escalation_plan.h"

namespace alertdigest {}  // namespace alertdigest
