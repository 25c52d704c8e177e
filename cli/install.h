/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install, memmap uninstall: memmap.efi at every boot, before the
 * OS's loader (cli/install.c; its pieces in cli/install_*.c).
 */
#ifndef CLI_INSTALL_H
#define CLI_INSTALL_H

/* memmap install [OPTION...] WORD...: @argv[0] is "install"; returns the
 * exit status (0, 1 a system check or operation failed, 2 bad input) */
int cli_install(int argc, char **argv);

/* memmap uninstall [OPTION...]: @argv[0] is "uninstall"; as cli_install() */
int cli_uninstall(int argc, char **argv);

#endif
