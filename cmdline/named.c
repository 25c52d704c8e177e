/*
 * The named-region registry.
 */
#include "named.h"

static const struct memmap_registry *memmap_current;

void memmap_registry_init(struct memmap_registry *reg, const struct mm_alloc *a)
{
	reg->r = NULL;
	reg->nr = reg->cap = 0;
	reg->alloc = a;
}

void memmap_registry_free(struct memmap_registry *reg)
{
	if (memmap_current == reg)
		memmap_current = NULL;
	mm_free(reg->alloc, reg->r);
	memmap_registry_init(reg, reg->alloc);
}

const struct memmap_region *
memmap_registry_find(const struct memmap_registry *reg, const char *name)
{
	size_t i;

	for (i = 0; reg && i < reg->nr; i++)
		if (!strcmp(reg->r[i].name, name))
			return &reg->r[i];
	return NULL;
}

int memmap_registry_add(struct memmap_registry *reg, const char *name,
			uint64_t start, uint64_t size)
{
	size_t n = strlen(name);
	int rc;

	if (!n || n > MEMMAP_NAME_MAX)
		return -MM_EINVAL;
	if (memmap_registry_find(reg, name))
		return -MM_EEXIST;
	rc = mm_grow(reg->alloc, &reg->r, &reg->cap, reg->nr + 1,
		     sizeof(*reg->r));
	if (rc)
		return rc;
	memcpy(reg->r[reg->nr].name, name, n + 1);
	reg->r[reg->nr].start = start;
	reg->r[reg->nr].size = size;
	reg->nr++;
	return 0;
}

void memmap_registry_use(const struct memmap_registry *reg)
{
	memmap_current = reg;
}

int memmap_named(const char *name, uint64_t *start, uint64_t *size)
{
	const struct memmap_region *r = memmap_registry_find(memmap_current, name);

	if (!r)
		return -MM_ENOENT;
	*start = r->start;
	*size = r->size;
	return 0;
}
