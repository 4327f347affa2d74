/* bench/evtx_parse/compat/libbfio.h — stand-in for <libbfio.h>, used only when libbfio-dev is
 * not installed. Debian's libevtx-dev includes <libbfio.h> from <libevtx.h> without depending on
 * libbfio-dev; the header only needs the handle type for libevtx_*_file_io_handle() declarations,
 * which the benchmark never calls. libbfio itself declares the handle as intptr_t.
 */
#ifndef INARI_BENCH_COMPAT_LIBBFIO_H_
#define INARI_BENCH_COMPAT_LIBBFIO_H_
#include <stdint.h>
typedef intptr_t libbfio_handle_t;
typedef intptr_t libbfio_pool_t;
#endif
