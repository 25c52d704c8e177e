/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unit-test runner: every suite of tests/unit/, one per file.
 * Exit status 0 only when every check passed.
 */
#include "tests.h"

int main(void)
{
	static Suite *(*const suites[])(void) = {
		base_suite, memparse_suite, parse_suite, parse_error_suite,
		sanitize_suite, model_suite, fit_suite, efimap_suite,
		apply_suite, rs_suite, pstore_suite, inflate_suite,
		fault_suite, handover_suite, dt_suite,
	};
	SRunner *sr;
	size_t i;
	int failed;

	sr = srunner_create(suites[0]());
	for (i = 1; i < ARRAY_SIZE(suites); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
