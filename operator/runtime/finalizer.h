#pragma once

#include <string_view>

#include "operator/runtime/client.h"

namespace zkop::runtime {

// Where an object stands with respect to one finalizer: a pure function of the object, so the
// reconciler is a match on it (kube-rs' FinalizerState::for_object).
enum class FinalizerState {
  kMissing,   // live, finalizer not yet added: add it before creating anything external
  kActive,    // live, finalizer present: reconcile normally
  kCleanup,   // being deleted, finalizer present: clean up, then remove the finalizer
  kReleased,  // being deleted, finalizer gone: nothing left for us to do
};

FinalizerState finalizerState(const Json& object, std::string_view finalizer);

// Add or remove `finalizer` with a merge patch that carries the object's resourceVersion, so
// the write is conditional (409 Conflict if the object changed since it was read: the caller
// requeues). A merge patch replaces the whole finalizers list, which is why it must be
// conditional. Return the updated object; no request when there is nothing to change.
Result<Json> addFinalizer(Client& client, const ResourceDescriptor& res, const Json& object,
                          std::string_view finalizer);
Result<Json> removeFinalizer(Client& client, const ResourceDescriptor& res, const Json& object,
                             std::string_view finalizer);

}  // namespace zkop::runtime
