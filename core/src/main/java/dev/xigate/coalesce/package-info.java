/**
 * Request coalescing: identical requests in flight at the same time share one upstream call, whose response head
 * and body fan out to every waiting client through a bounded broadcast buffer.
 */
package dev.xigate.coalesce;
