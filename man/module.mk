# SPDX-License-Identifier: MIT
# The API's pages (section 3). Every other name a page's NAME section lists is installed as a symbolic
# link to it (LINK:PAGE): mandoc calls .so pages fragile, and Debian's dh_installman turns them into links.
INSTALL_MAN3 += man/amxshim_usable.3 man/amxshim_state.3 man/amxshim_isa_usable.3 man/AMXSHIM_IFUNC.3
INSTALL_MAN3_LINKS += amxshim_peek.3:amxshim_state.3 amxshim_probe.3:amxshim_state.3 \
	amxshim_reason_name.3:amxshim_state.3 amxshim_cpuid_leaf.3:amxshim_isa_usable.3 \
	amxshim_xcr0.3:amxshim_isa_usable.3 AMXSHIM_VARIANT_OF.3:AMXSHIM_IFUNC.3 \
	AMXSHIM_VARIANT.3:AMXSHIM_IFUNC.3 AMXSHIM_BOUND.3:AMXSHIM_IFUNC.3 \
	AMXSHIM_RESOLVER_CONTEXT.3:AMXSHIM_IFUNC.3
