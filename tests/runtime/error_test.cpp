#include "operator/runtime/error.h"

#include <gtest/gtest.h>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {
namespace {

std::string status(int code, const std::string& reason, const std::string& message,
                   const std::string& details = "") {
  return R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":)" + std::to_string(code) +
         R"(,"reason":")" + reason + R"(","message":")" + message + "\"" +
         (details.empty() ? "" : ",\"details\":" + details) + "}";
}

TEST(ErrorFromResponse, MapsStatusReasons) {
  EXPECT_EQ(errorFromResponse(404, status(404, "NotFound", "x not found")).category,
            ErrorCategory::kNotFound);
  EXPECT_EQ(errorFromResponse(409, status(409, "Conflict", "modified")).category,
            ErrorCategory::kConflict);
  EXPECT_EQ(errorFromResponse(409, status(409, "AlreadyExists", "exists")).category,
            ErrorCategory::kAlreadyExists);
  EXPECT_EQ(errorFromResponse(422, status(422, "Invalid", "bad")).category,
            ErrorCategory::kInvalid);
  EXPECT_EQ(errorFromResponse(403, status(403, "Forbidden", "no")).category,
            ErrorCategory::kForbidden);
  EXPECT_EQ(errorFromResponse(410, status(410, "Expired", "too old")).category,
            ErrorCategory::kGone);
  EXPECT_EQ(errorFromResponse(500, status(500, "InternalError", "boom")).category,
            ErrorCategory::kServerError);
  EXPECT_EQ(errorFromResponse(503, "<html>down</html>").category, ErrorCategory::kServerError);
}

TEST(ErrorFromResponse, CarriesMessageAndRetryAfter) {
  auto e = errorFromResponse(429, status(429, "TooManyRequests", "slow down"), "7");
  EXPECT_EQ(e.category, ErrorCategory::kTooManyRequests);
  EXPECT_EQ(e.message, "slow down");
  ASSERT_TRUE(e.retry_after);
  EXPECT_EQ(*e.retry_after, std::chrono::seconds(7));
  EXPECT_TRUE(e.retriable());
  auto d = errorFromResponse(500, status(500, "InternalError", "x", R"({"retryAfterSeconds":3})"));
  ASSERT_TRUE(d.retry_after);
  EXPECT_EQ(*d.retry_after, std::chrono::seconds(3));
}

TEST(ErrorFromResponse, WatchErrorStatusWithoutHttpCodeUsesTheStatusCode) {
  auto e = errorFromResponse(0, status(410, "Expired", "too old resource version"));
  EXPECT_EQ(e.http_code, 410);
  EXPECT_TRUE(e.is(ErrorCategory::kGone));
  EXPECT_EQ(e.describe(), "Gone (410): too old resource version");
}

TEST(Encoding, Base64RoundTrip) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "hello world\n"}) {
    EXPECT_EQ(base64Decode(base64Encode(s)), s);
  }
  EXPECT_EQ(base64Encode("user:pw"), "dXNlcjpwdw==");
  EXPECT_EQ(base64Decode("dXNl\ncjpwdw=="), "user:pw");
  EXPECT_EQ(base64Decode("not*base64"), std::nullopt);
}

TEST(Encoding, Rfc3339) {
  auto t = parseRfc3339("2026-01-02T03:04:05Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(formatRfc3339(*t), "2026-01-02T03:04:05Z");
  auto micro = parseRfc3339("2026-01-02T03:04:05.123456Z");
  ASSERT_TRUE(micro);
  EXPECT_EQ(formatRfc3339(*micro, true), "2026-01-02T03:04:05.123456Z");
  auto offset = parseRfc3339("2026-01-02T05:04:05+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, *t);
  EXPECT_EQ(parseRfc3339("yesterday"), std::nullopt);
}

}  // namespace
}  // namespace zkop::runtime
