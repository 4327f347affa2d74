/* bench/evtx_parse/libevtx_adapter.c — the libevtx adapter for the evtx_parse benchmark.
 *
 * Question (see bench/README.md): how fast does each parser turn EVTX records into field
 * values? This adapter measures libevtx (C API, in-process) doing the work a consumer needs
 * for every record: record identifier, written time, event identifier and the full rendered
 * XML string (libevtx_record_get_utf8_xml_string), which is how libevtx exposes event data
 * values — evtxexport does the same. Recovered records
 * (libevtx_file_get_recovered_record_by_index) are rendered too.
 *
 * Usage: bench_libevtx [--min-seconds S] [--threads N] [--verbose] FILE...
 *   Loops over the whole file list (whole passes only) until at least S seconds of wall time
 *   have passed (default 10), then prints one JSON line on stdout:
 *   {"impl":"libevtx","threads":N,"records":R,"bytes":B,"seconds":S,...}
 *   bytes = on-disk size of every file that opened, once per pass.
 *   Files libevtx cannot open are skipped and counted ("skipped_files", per pass).
 *   With --threads N > 1, N threads take files from a shared queue; each thread has its own
 *   libevtx_file_t and XML buffer (libevtx handles are not shared across threads).
 */
#include <libevtx.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct {
  uint64_t records;
  uint64_t recovered_records;
  uint64_t record_errors;           /* allocated records that failed to open or render */
  uint64_t recovered_record_errors; /* candidates from free space that failed to render */
  uint64_t bytes;
  uint64_t xml_bytes;
  uint64_t skipped_files;
  uint64_t files;
  uint64_t checksum; /* folds every value read so the work cannot be optimised away */
} Counters;

typedef struct {
  char** files;
  int num_files;
  atomic_int next; /* next file index in the current pass */
} Queue;

typedef struct {
  Queue* queue;
  Counters counters;
  uint8_t* xml;
  size_t xml_capacity;
} Worker;

static int verbose = 0; /* --verbose: per-file counts and errors on stderr (first pass only) */

static double NowSeconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void DropError(libevtx_error_t** error) {
  if (*error == NULL) return;
  if (verbose) libevtx_error_fprint(*error, stderr);
  libevtx_error_free(error);
}

/* Reads every value the benchmark asks for from one record. Returns 0 on success. */
static int ConsumeRecord(Worker* w, libevtx_record_t* record) {
  libevtx_error_t* error = NULL;
  uint64_t identifier = 0, written_time = 0;
  uint32_t event_identifier = 0;
  size_t xml_size = 0;
  if (libevtx_record_get_identifier(record, &identifier, &error) != 1) goto fail;
  if (libevtx_record_get_written_time(record, &written_time, &error) != 1) goto fail;
  if (libevtx_record_get_event_identifier(record, &event_identifier, &error) != 1) goto fail;
  if (libevtx_record_get_utf8_xml_string_size(record, &xml_size, &error) != 1) goto fail;
  if (xml_size > w->xml_capacity) {
    size_t capacity = w->xml_capacity ? w->xml_capacity : 4096;
    while (capacity < xml_size) capacity *= 2;
    uint8_t* grown = realloc(w->xml, capacity);
    if (grown == NULL) {
      fprintf(stderr, "bench_libevtx: out of memory\n");
      exit(2);
    }
    w->xml = grown;
    w->xml_capacity = capacity;
  }
  if (xml_size > 0 &&
      libevtx_record_get_utf8_xml_string(record, w->xml, xml_size, &error) != 1) {
    goto fail;
  }
  w->counters.xml_bytes += xml_size;
  w->counters.checksum += identifier ^ written_time ^ event_identifier ^
                          (xml_size > 1 ? w->xml[xml_size / 2] : 0);
  return 0;
fail:
  DropError(&error);
  return -1;
}

static void ConsumeFile(Worker* w, const char* path) {
  libevtx_error_t* error = NULL;
  libevtx_file_t* file = NULL;
  struct stat st;
  if (stat(path, &st) != 0 || libevtx_file_initialize(&file, &error) != 1) {
    DropError(&error);
    w->counters.skipped_files++;
    return;
  }
  if (libevtx_file_open(file, path, libevtx_get_access_flags_read(), &error) != 1) {
    DropError(&error);
    libevtx_file_free(&file, NULL);
    w->counters.skipped_files++;
    return;
  }
  w->counters.files++;
  w->counters.bytes += (uint64_t)st.st_size;

  for (int pass = 0; pass < 2; ++pass) { /* 0: records, 1: recovered records */
    int count = 0;
    int ok = pass == 0 ? libevtx_file_get_number_of_records(file, &count, &error)
                       : libevtx_file_get_number_of_recovered_records(file, &count, &error);
    uint64_t* errors = pass == 0 ? &w->counters.record_errors
                                  : &w->counters.recovered_record_errors;
    if (ok != 1) {
      DropError(&error);
      ++*errors;
      continue;
    }
    for (int i = 0; i < count; ++i) {
      libevtx_record_t* record = NULL;
      ok = pass == 0 ? libevtx_file_get_record_by_index(file, i, &record, &error)
                     : libevtx_file_get_recovered_record_by_index(file, i, &record, &error);
      if (ok != 1 || record == NULL) {
        DropError(&error);
        ++*errors;
        continue;
      }
      if (ConsumeRecord(w, record) == 0) {
        if (pass == 0) {
          w->counters.records++;
        } else {
          w->counters.recovered_records++;
        }
      } else {
        ++*errors;
      }
      libevtx_record_free(&record, NULL);
    }
  }
  libevtx_file_close(file, NULL);
  libevtx_file_free(&file, NULL);
  if (verbose) {
    fprintf(stderr, "%s: records=%llu recovered=%llu errors=%llu recovered_errors=%llu"
            " (cumulative)\n", path, (unsigned long long)w->counters.records,
            (unsigned long long)w->counters.recovered_records,
            (unsigned long long)w->counters.record_errors,
            (unsigned long long)w->counters.recovered_record_errors);
  }
}

static void* WorkerMain(void* arg) {
  Worker* w = arg;
  for (;;) {
    int i = atomic_fetch_add(&w->queue->next, 1);
    if (i >= w->queue->num_files) break;
    ConsumeFile(w, w->queue->files[i]);
  }
  return NULL;
}

static void Usage(void) {
  fprintf(stderr, "usage: bench_libevtx [--min-seconds S] [--threads N] [--verbose] FILE...\n");
  exit(64);
}

int main(int argc, char** argv) {
  double min_seconds = 10.0;
  int threads = 1;
  int first_file = argc;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--min-seconds") == 0 && i + 1 < argc) {
      min_seconds = strtod(argv[++i], NULL);
    } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = atoi(argv[++i]);
      if (threads < 1) Usage();
    } else if (strcmp(argv[i], "--verbose") == 0) {
      verbose = 1;
    } else if (strcmp(argv[i], "--") == 0) {
      first_file = i + 1;
      break;
    } else if (strncmp(argv[i], "--", 2) == 0) {
      Usage();
    } else {
      first_file = i;
      break;
    }
  }
  if (first_file >= argc) Usage();

  Queue queue = {.files = argv + first_file, .num_files = argc - first_file};
  Worker* workers = calloc((size_t)threads, sizeof(Worker));
  pthread_t* tids = calloc((size_t)threads, sizeof(pthread_t));
  if (workers == NULL || tids == NULL) return 2;
  for (int t = 0; t < threads; ++t) workers[t].queue = &queue;

  uint64_t passes = 0;
  double start = NowSeconds(), elapsed = 0.0;
  do {
    atomic_store(&queue.next, 0);
    if (threads == 1) {
      WorkerMain(&workers[0]);
    } else {
      for (int t = 0; t < threads; ++t) {
        if (pthread_create(&tids[t], NULL, WorkerMain, &workers[t]) != 0) {
          fprintf(stderr, "bench_libevtx: pthread_create: %s\n", strerror(errno));
          return 2;
        }
      }
      for (int t = 0; t < threads; ++t) pthread_join(tids[t], NULL);
    }
    ++passes;
    verbose = 0;
    elapsed = NowSeconds() - start;
  } while (elapsed < min_seconds);

  Counters sum = {0};
  for (int t = 0; t < threads; ++t) {
    Counters* c = &workers[t].counters;
    sum.records += c->records;
    sum.recovered_records += c->recovered_records;
    sum.record_errors += c->record_errors;
    sum.recovered_record_errors += c->recovered_record_errors;
    sum.bytes += c->bytes;
    sum.xml_bytes += c->xml_bytes;
    sum.skipped_files += c->skipped_files;
    sum.files += c->files;
    sum.checksum += c->checksum;
    free(workers[t].xml);
  }
  /* "records" counts every record rendered, recovered ones included. */
  printf("{\"impl\":\"libevtx\",\"version\":\"%s\",\"threads\":%d,\"records\":%llu,"
         "\"bytes\":%llu,\"seconds\":%.6f,\"passes\":%llu,\"files_per_pass\":%d,"
         "\"files_opened\":%llu,\"skipped_files\":%llu,\"recovered_records\":%llu,"
         "\"record_errors\":%llu,\"recovered_record_errors\":%llu,\"xml_bytes\":%llu,"
         "\"checksum\":%llu}\n",
         libevtx_get_version(), threads,
         (unsigned long long)(sum.records + sum.recovered_records),
         (unsigned long long)sum.bytes, elapsed, (unsigned long long)passes, queue.num_files,
         (unsigned long long)sum.files, (unsigned long long)(sum.skipped_files / passes),
         (unsigned long long)sum.recovered_records, (unsigned long long)sum.record_errors,
         (unsigned long long)sum.recovered_record_errors,
         (unsigned long long)sum.xml_bytes, (unsigned long long)sum.checksum);
  free(workers);
  free(tids);
  return 0;
}
