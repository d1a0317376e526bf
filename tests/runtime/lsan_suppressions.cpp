// LeakSanitizer suppressions for the transport tests (sanitizer builds only read them).
// cpprestsdk's thread pool and connection pool are process-lifetime statics that are never torn
// down at exit, so the OpenSSL state they hold (per-thread error queues, SSL objects of pooled
// connections) is reported as leaked after the TLS tests. Nothing of ours is suppressed: the
// stacks must go through libcpprest or libcrypto.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libcpprest.so\n"
         "leak:libcrypto.so\n";
}
