#ifndef OTPPOOL_CLIBPQ_SHIM_H
#define OTPPOOL_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
