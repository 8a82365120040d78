package dev.svcmgr.core.engine;

import dev.svcmgr.core.supervise.Failure;
import dev.svcmgr.core.supervise.ServiceRecords;
import dev.svcmgr.graph.Job;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Records whose equals and hashCode are written out (the generated ones are slow under C1): equal for
 * equal components, different as soon as any one component differs, so a component added later and
 * forgotten in equals fails here.
 */
class HandWrittenEqualityTest {
    @ParameterizedTest
    @ValueSource(classes = {UnitSnapshot.class, ServiceRecords.Rec.class, Job.Ref.class})
    @DisplayName("equal components: equal and the same hash; any one component changed: not equal")
    void everyComponentCounts(Class<? extends Record> type) throws Exception {
        RecordComponent[] rc = type.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) types[i] = rc[i].getType();
        Constructor<? extends Record> make = type.getDeclaredConstructor(types);
        make.setAccessible(true);
        Object[] a = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) a[i] = value(rc[i], 0);
        Record x = make.newInstance(a), y = make.newInstance(a.clone());
        assertEquals(x, y);
        assertEquals(x.hashCode(), y.hashCode());
        for (int i = 0; i < rc.length; i++) {
            Object[] b = a.clone();
            b[i] = value(rc[i], 1);
            assertNotEquals(x, make.newInstance(b), type.getSimpleName() + "." + rc[i].getName() + " must count in equals");
            if (!rc[i].getType().isPrimitive()) {
                b[i] = null;
                assertNotEquals(x, make.newInstance(b), type.getSimpleName() + "." + rc[i].getName() + " null must count");
            }
        }
    }

    private static Object value(RecordComponent c, int v) {
        Class<?> t = c.getType();
        if (t == String.class) return v == 0 ? "a" : "b";
        if (t == Integer.class || t == int.class) return v == 0 ? 1 : 2;
        if (t == long.class) return v == 0 ? 1L : 2L;
        if (t == boolean.class) return v == 1;
        if (t == Instant.class) return Instant.ofEpochSecond(v);
        if (t == List.class) return v == 0 ? List.of() : List.of(new Failure(Instant.EPOCH, Result.SIGNAL, "x"));
        if (t.isEnum()) return t.getEnumConstants()[v];
        throw new IllegalArgumentException("no sample for " + t + " (" + c.getName() + ")");
    }
}
