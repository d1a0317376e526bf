#pragma once

// Brings one rendered object into the API: creates it when missing, patches it (JSON merge
// patch) when a field zkop renders differs, and writes nothing when it is as rendered —
// so a settled cluster costs no API writes. Fields the server adds (defaults, status,
// metadata) are not differences: only what zkop renders is compared.

#include <expected>

#include "controllers/api/json.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"

namespace zkop::reconciler {

enum class ApplyResult { Unchanged, Created, Patched };

// True when every field of `wanted` is present in `actual` with the same value (objects
// compared key by key, arrays element by element).
bool containsFields(const Json& actual, const Json& wanted);

std::expected<ApplyResult, runtime::ReconcileError> applyObject(runtime::Client& client,
                                                                const Json& wanted);

}  // namespace zkop::reconciler
