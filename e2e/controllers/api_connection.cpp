#include "e2e/controllers/api_connection.h"

#include "operator/runtime/cpprest_transport.h"
#include "operator/runtime/kubeconfig.h"

namespace zkop::sandbox {

runtime::Result<ApiConnection> connectWithKubeconfig(const std::filesystem::path& kubeconfig,
                                                     const std::string& userAgent) {
  runtime::ConfigOptions options;
  options.kubeconfig_path = kubeconfig.string();
  auto config = runtime::loadKubeconfig(options);
  if (!config) return std::unexpected(config.error());
  config->user_agent = userAgent;
  auto transport = runtime::makeCpprestTransport(*config);
  if (!transport) return std::unexpected(transport.error());
  ApiConnection connection;
  connection.transport = std::shared_ptr<runtime::HttpTransport>(std::move(*transport));
  connection.client = std::make_shared<runtime::Client>(connection.transport);
  return connection;
}

}  // namespace zkop::sandbox
