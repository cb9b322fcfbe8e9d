// SPDX-License-Identifier: GPL-2.0
/*
 * An example client of bslab: a module of its own that uses only the public
 * API (<bslab.h>) and carries its own KUnit suite.  Build and run it with
 *
 *	make check EXTRA_TESTS=examples/client
 *
 * which compiles every .c file in the directory against bslab's
 * Module.symvers, loads the module after bslab and counts its suite in the
 * same summary.  See README, "Writing a client module".
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <bslab.h>

struct conn {
	u32 state;
	u32 refs;
	char peer[48];
};

static int conn_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct conn *c = obj;

	c->state = 1;
	c->refs = 0;
	return 0;
}

static void client_roundtrip(struct kunit *test)
{
	struct bslab_cache_args args = { .ctor = conn_ctor };
	struct bslab_cache *cache;
	struct bslab_stats st;
	struct conn *c[32];
	int i;

	cache = bslab_cache_create_args("client_conn", sizeof(struct conn),
					&args, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cache);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
		KUNIT_EXPECT_EQ(test, c[i]->state, 1);
		c[i]->refs = i;
	}
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, ARRAY_SIZE(c));
	bslab_cache_free_bulk(cache, ARRAY_SIZE(c), (void **)c);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	bslab_cache_destroy(cache);
}

static void client_bslab_alloc(struct kunit *test)
{
	char *p = bslab_alloc(100, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 'x', 100);
	bslab_free(p, 100);
}

static struct kunit_case client_cases[] = {
	KUNIT_CASE(client_roundtrip),
	KUNIT_CASE(client_bslab_alloc),
	{}
};

static struct kunit_suite client_suite = {
	.name = "bslab_client_example",
	.test_cases = client_cases,
};

kunit_test_suite(client_suite);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("example bslab client with a KUnit suite");
