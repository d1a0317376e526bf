#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// The checks a real server makes before a CRD can serve anything: a name of the form
// <plural>.<group>, the names it serves, exactly one storage version among served versions,
// and a schema per version. A CRD failing them would otherwise break discovery for every client.
std::vector<FieldCause> validate_crd(const nlohmann::json& crd);

}  // namespace zkop::sandbox
