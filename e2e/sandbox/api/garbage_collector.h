#pragma once

#include "e2e/sandbox/api/api_context.h"

namespace zkop::sandbox {

// The controllers of a real control plane that finish deletions, run to a fixed point after
// every write: the garbage collector (dependents of deleted owners, foreground deletion,
// dangling owner references), the namespace controller (a terminating namespace's content) and
// the final removal of objects whose finalizers are all gone.
class GarbageCollector {
 public:
  explicit GarbageCollector(ApiContext& ctx) : ctx_(ctx) {}

  // Returns the number of writes it made.
  int sweep();

 private:
  bool pass();
  bool finish_namespace(const ObjectKey& key);
  bool finish_foreground(const ObjectKey& key, const std::string& uid);
  bool collect_orphan(const ObjectKey& key);

  ApiContext& ctx_;
};

}  // namespace zkop::sandbox
