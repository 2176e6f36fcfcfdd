package dev.xigate.limit;

/**
 * The waiters of one client at one priority level, FIFO, and this client's place in the level's round-robin ring.
 * Guarded by the pool's lock.
 */
final class ClientQueue {
    final String clientName;
    final PriorityLevel level;
    Waiter head;
    Waiter tail;
    int size;
    // Waiters carry consecutive sequence numbers from head to tail while every removal was at an end, so that a
    // position is a subtraction; a removal from the middle (a cancel, an expiry out of order) breaks that until the
    // queue empties, and indexOf counts instead.
    private boolean gapped;
    ClientQueue ringPrev;
    ClientQueue ringNext;

    ClientQueue(String clientName, PriorityLevel level) {
        this.clientName = clientName;
        this.level = level;
    }

    void addLast(Waiter waiter) {
        waiter.owner = this;
        waiter.next = null;
        waiter.prev = tail;
        waiter.sequence = tail == null ? 0 : tail.sequence + 1;
        if (tail == null) {
            head = waiter;
        } else {
            tail.next = waiter;
        }
        tail = waiter;
        size++;
    }

    void addFirst(Waiter waiter) {
        waiter.owner = this;
        waiter.prev = null;
        waiter.next = head;
        waiter.sequence = head == null ? 0 : head.sequence - 1;
        if (head == null) {
            tail = waiter;
        } else {
            head.prev = waiter;
        }
        head = waiter;
        size++;
    }

    void remove(Waiter waiter) {
        if (waiter.prev != null && waiter.next != null) {
            gapped = true;
        }
        if (waiter.prev == null) {
            head = waiter.next;
        } else {
            waiter.prev.next = waiter.next;
        }
        if (waiter.next == null) {
            tail = waiter.prev;
        } else {
            waiter.next.prev = waiter.prev;
        }
        waiter.prev = null;
        waiter.next = null;
        waiter.owner = null;
        size--;
        if (size == 0) {
            gapped = false;
        }
    }

    /** Returns how many of this client's waiters stand before {@code waiter}. */
    int indexOf(Waiter waiter) {
        if (!gapped) {
            return (int) (waiter.sequence - head.sequence);
        }
        int index = 0;
        for (Waiter current = head; current != waiter; current = current.next) {
            index++;
        }
        return index;
    }
}
