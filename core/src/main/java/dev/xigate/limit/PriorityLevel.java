package dev.xigate.limit;

import java.util.HashMap;
import java.util.Map;

/**
 * One priority level of a pool's queue: a FIFO per client, served round-robin across clients starting at
 * {@link #cursor}. Guarded by the pool's lock.
 */
final class PriorityLevel {
    final int index;
    private final Map<String, ClientQueue> clients = new HashMap<>();
    /** The client served next; null when the level is empty. */
    ClientQueue cursor;
    int waiting;

    PriorityLevel(int index) {
        this.index = index;
    }

    int clientCount() {
        return clients.size();
    }

    void addLast(Waiter waiter) {
        clientQueue(waiter.request.clientName()).addLast(waiter);
        waiter.level = index;
        waiting++;
    }

    /** Puts the waiter first in its client's FIFO and makes that client the next one served. */
    void addFirst(Waiter waiter) {
        ClientQueue queue = clientQueue(waiter.request.clientName());
        queue.addFirst(waiter);
        waiter.level = index;
        waiting++;
        cursor = queue;
    }

    /** Removes a waiter; when it was served, the next client in the ring is served next. */
    void remove(Waiter waiter, boolean served) {
        ClientQueue queue = waiter.owner;
        queue.remove(waiter);
        waiting--;
        if (served && cursor == queue) {
            cursor = queue.ringNext;
        }
        if (queue.size == 0) {
            unring(queue);
        }
    }

    private ClientQueue clientQueue(String clientName) {
        ClientQueue queue = clients.get(clientName);
        if (queue == null) {
            queue = new ClientQueue(clientName, this);
            clients.put(clientName, queue);
            ring(queue);
        }
        return queue;
    }

    /** Adds a new client just before the cursor: it is served after every client already waiting. */
    private void ring(ClientQueue queue) {
        if (cursor == null) {
            queue.ringNext = queue;
            queue.ringPrev = queue;
            cursor = queue;
            return;
        }
        ClientQueue last = cursor.ringPrev;
        last.ringNext = queue;
        queue.ringPrev = last;
        queue.ringNext = cursor;
        cursor.ringPrev = queue;
    }

    private void unring(ClientQueue queue) {
        clients.remove(queue.clientName);
        if (queue.ringNext == queue) {
            cursor = null;
        } else {
            queue.ringPrev.ringNext = queue.ringNext;
            queue.ringNext.ringPrev = queue.ringPrev;
            if (cursor == queue) {
                cursor = queue.ringNext;
            }
        }
    }
}
