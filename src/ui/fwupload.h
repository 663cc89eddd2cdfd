/* fwupload.h — a firmware uploaded from the console (fwupload.c): :ota-upload [PATH] (Tab
 * completes file names), a form for the firmware's fields, a question, then
 * GenerateOTAUploadURL, the file to OSS (PostObject) with a progress bar on the status
 * line, and CreateOTAFirmware. The two API calls are operations of uiops.h (:ops, the
 * audit log); the file's digest and the upload run in a thread of their own, so the UI
 * thread never waits on the disk or the network. One upload at a time. */
#ifndef IOTDECK_FWUPLOAD_H
#define IOTDECK_FWUPLOAD_H

#include "ui/ui.h"

/* Runs :ota-upload with its argument (a path, or empty: the prompt asks for it). 0, or -1
 * with the reason shown. */
int fwupload_command(struct ui *ui, const char *arg);
/* Tab on :ota-upload's argument: text is the whole command line, arg where the argument
 * starts in it. Returns the caller-freed completed line (the file name's longest common
 * completion; a directory gets its '/'), or NULL when nothing matches; *list gets the
 * candidates, one a line, when more than one matches (caller frees). */
char *fwupload_complete(const char *text, const char *arg, char **list);

/* For the console's loop (ui.c): */
/* The descriptor that becomes readable when the upload's thread has news, or -1. */
int fwupload_fd(void);
/* Takes the thread's news and moves the upload on (each loop turn: cheap when idle). */
void fwupload_poll(struct ui *ui);
/* 1 while an upload is under way (past its form): the console counts it as a write in
 * flight (quitting asks, the idle lock waits). */
int fwupload_active(void);
/* Ctrl-C: asks the upload's thread to stop (its operations are cancelled with the
 * others). 1 when an upload was under way. */
int fwupload_cancel(struct ui *ui);
/* The console is going: cancels the upload's thread, waits for it, frees everything. */
void fwupload_stop(struct ui *ui);

#endif
