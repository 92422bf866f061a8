// libseccomp (Debian libseccomp-dev 2.5.4). Only CTokenScriptWorkerCore includes this module.
#include <seccomp.h>
