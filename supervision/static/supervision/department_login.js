// 开通部门账号: when the role changes, the picker lists that role's own level of departments
// first (the server does the same for ?role= and for a form sent back with errors).
document.addEventListener("DOMContentLoaded", () => {
  const levels = JSON.parse(document.getElementById("role-levels").textContent);
  const picker = document.getElementById("id_department");
  document.querySelectorAll('input[name="role"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      const groups = Array.from(picker.querySelectorAll("optgroup"));
      const own = groups.find((group) => group.label === levels[radio.value]);
      if (own && own !== groups[0]) picker.insertBefore(own, groups[0]);
    });
  });
});
