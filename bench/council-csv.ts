// A synthetic council for the benchmarks: N open cases over 8 service areas and M auditors, as CSV text.
export function councilCsv(caseCount: number, auditorCount: number): { casesCsv: string; peopleCsv: string } {
  const areas = Array.from({ length: 8 }, (_, i) => `Service area ${i + 1}`);
  const people = ["email,name,roles,service_area,manager_email,monthly_capacity"];
  for (let i = 0; i < auditorCount; i++) people.push(`auditor${i}@example.gov.uk,Auditor ${i},auditor,${areas[i % 8]},,2`);
  const cases = ["case_ref,service_area,status,opened_on,closed_on,lead_professional_email,lp_manager_email,involved_emails,step_down,age_band,primary_need,last_audited_on"];
  for (let i = 0; i < caseCount; i++) {
    const involved = i % 10 === 0 ? `auditor${i % auditorCount}@example.gov.uk` : "";
    cases.push(
      `CAF-${String(i).padStart(6, "0")},${areas[(i * 7) % 8]},open,01/0${1 + (i % 9)}/2026,,lp${i % 300}@example.gov.uk,auditor${(i * 3) % auditorCount}@example.gov.uk,${involved},${i % 5 === 0 ? "yes" : "no"},5-10,Parenting,`,
    );
  }
  return { casesCsv: cases.join("\n") + "\n", peopleCsv: people.join("\n") + "\n" };
}
