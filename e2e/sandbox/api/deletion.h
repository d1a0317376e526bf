#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_context.h"
#include "e2e/sandbox/api/api_error.h"
#include "e2e/sandbox/api/http_types.h"
#include "e2e/sandbox/api/resource_type.h"

namespace zkop::sandbox {

inline constexpr const char* kForegroundFinalizer = "foregroundDeletion";

// metav1.DeleteOptions, from the request body or the query string.
struct DeleteOptions {
  std::string propagation;  // Orphan, Background (default), Foreground
  std::optional<long long> grace_seconds;
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;

  static Result<DeleteOptions> from_request(const ApiRequest& request);
};

struct DeleteOutcome {
  nlohmann::json object;  // the object as it was removed, or as it now waits
  bool removed = false;
};

// Deletes one object the way a real server's registry does: checks preconditions, orphans
// dependents when asked, and either removes the object or marks it with deletionTimestamp when
// finalizers (foregroundDeletion among them), a namespace's content or a pod's grace period on a
// node hold it. The garbage collector finishes what is held.
Result<DeleteOutcome> delete_object(ApiContext& ctx, const ResourceType& type, const ObjectKey& key,
                                    const DeleteOptions& options);

// Whether an object marked for deletion may now be removed.
bool ready_to_remove(const nlohmann::json& object);

}  // namespace zkop::sandbox
