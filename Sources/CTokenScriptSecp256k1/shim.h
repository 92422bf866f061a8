// libsecp256k1 (Debian's 0.2.0 is built with the recovery module) for TokenScriptSecp256k1 only.
// Nothing to wrap: Swift calls these headers' functions and constants directly.
#include <secp256k1.h>
#include <secp256k1_recovery.h>
